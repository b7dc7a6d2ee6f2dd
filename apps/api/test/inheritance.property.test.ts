import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type {
  AppliedTags,
  BulkTagResult,
  BulkUntagResult,
  Contact,
  DeleteTagResult,
  ErrorBody,
  Session,
  SyncSessionTagsResult,
  TagContactResult,
  TagEntitiesResult,
  TagSessionResult,
  UntagContactResult,
} from '@tagging/contracts';
import {
  restCall,
  startTestServer,
  type RestResponse,
  type TestServer,
  type TestWorkspace,
} from '../testing/test-server.ts';
import {
  InheritanceModel,
  sortRows,
  type BulkItem,
  type EntityType,
  type ExpectedItemError,
  type Outcome,
  type Range,
  type SourceType,
  type TagRow,
} from './support/inheritance-model.ts';

/**
 * The entity-tag routes against the reference model of the inheritance rules
 * (test/support/inheritance-model.ts): random command sequences over a small world, and after
 * every step the answer (status, documented counts) and the whole `entity_tag` content of the
 * workspace must be what the model says.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// ---- the world of one run ----------------------------------------------------------------------

type World = {
  workspace: TestWorkspace;
  model: InheritanceModel;
  contacts: string[];
  sessions: string[];
  tags: string[];
  ghosts: { contact: string; session: string; tag: string };
  /** id → short name (C0, S3, T1, C?), for readable logs and diffs */
  labels: Map<string, string>;
};

const label = (world: World, id: string | null | undefined) =>
  id === null || id === undefined ? 'null' : (world.labels.get(id) ?? id);

const describeRow = (world: World, row: TagRow) =>
  `${label(world, row.entityId)} ${label(world, row.tagId)} ${row.sourceType}` +
  (row.sourceEntityType === null ? '' : ` from ${row.sourceEntityType} ${label(world, row.sourceEntityId)}`);

const describeRows = (world: World, rows: readonly TagRow[]) => sortRows(rows).map((row) => describeRow(world, row));

const call = (world: World, method: string, path: string, body?: unknown) =>
  restCall(server, method, path, { body, apiKey: world.workspace.apiKey });

const scoped = (world: World, path: string, query: Record<string, string | number | undefined> = {}) => {
  const params = new URLSearchParams({ workspaceId: String(world.workspace.id) });
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return `/api/entity-tags${path}?${params.toString()}`;
};

async function createContact(world: World): Promise<string> {
  const name = `C${world.contacts.length}`;
  const response = await call(world, 'POST', '/api/contacts', { name });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const { id } = response.body as Contact;
  world.contacts.push(id);
  world.labels.set(id, name);
  world.model.addContact(id);
  return id;
}

async function createTag(world: World): Promise<string> {
  const name = `T${world.tags.length}`;
  const response = await call(world, 'POST', '/api/tags', { name });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const { id } = response.body as { id: string };
  world.tags.push(id);
  world.labels.set(id, name);
  world.model.addTag(id, name);
  return id;
}

/** Creates a session as the model expects (201, or 404 for a gone contact); its id or null. */
async function createSession(world: World, contactId: string | null): Promise<string | null> {
  const expected = world.model.createSessionOutcome(contactId);
  const response = await call(world, 'POST', '/api/sessions', contactId === null ? {} : { contactId });
  if (!expectOutcome(response, expected, false)) return null;
  const { id } = response.body as Session;
  expect((response.body as Session).contactId).toBe(contactId);
  world.labels.set(id, `S${world.sessions.length}`);
  world.sessions.push(id);
  world.model.addSession(id, contactId);
  return id;
}

/** A fresh workspace: 3 contacts, 4 tags, 5 sessions (S0, S1 → C0; S2 → C1; S3 → C2; S4 unlinked). */
async function newWorld(): Promise<World> {
  const workspace = await server.newWorkspace('Inheritance');
  const ghosts = { contact: `contact_${randomUUID()}`, session: `wses_${randomUUID()}`, tag: `wtag_${randomUUID()}` };
  const world: World = {
    workspace,
    model: new InheritanceModel(),
    contacts: [],
    sessions: [],
    tags: [],
    ghosts,
    labels: new Map([
      [ghosts.contact, 'C?'],
      [ghosts.session, 'S?'],
      [ghosts.tag, 'T?'],
    ]),
  };
  for (let i = 0; i < 3; i += 1) await createContact(world);
  for (let i = 0; i < 4; i += 1) await createTag(world);
  const [c0, c1, c2] = world.contacts;
  for (const contactId of [c0, c0, c1, c2, null]) await createSession(world, contactId ?? null);
  return world;
}

// ---- checks -----------------------------------------------------------------------------------

/**
 * Status and error code as the model says (and `success: true` on an accepted write); true when
 * the request was accepted.
 */
function expectOutcome<T>(response: RestResponse, expected: Outcome<T>, write = true): boolean {
  const body = response.body as Partial<ErrorBody> | undefined;
  if (!expected.ok) {
    expect({ status: response.status, code: body?.code }, JSON.stringify(body)).toEqual({
      status: expected.status,
      code: expected.code,
    });
    if (expected.messageNames !== undefined) expect(body?.message).toContain(expected.messageNames);
    return false;
  }
  expect(response.status, JSON.stringify(body)).toBe(expected.status);
  if (write) expect(response.body).toMatchObject({ success: true });
  return true;
}

const expectInRange = (actual: number, range: Range, what: string) => {
  expect(actual, `${what} in [${range.min}, ${range.max}]`).toBeGreaterThanOrEqual(range.min);
  expect(actual, `${what} in [${range.min}, ${range.max}]`).toBeLessThanOrEqual(range.max);
};

type DbRow = {
  id: string;
  entity_type: EntityType;
  entity_id: string;
  tag_id: string;
  source_type: SourceType;
  source_entity_type: EntityType | null;
  source_entity_id: string | null;
};

async function databaseRows(world: World): Promise<TagRow[]> {
  const rows = await server.db.fork().execute<DbRow[]>(
    `select id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id
         from entity_tag where workspace_id = ?`,
    [world.workspace.id],
  );
  for (const row of rows) expect(row.id).toMatch(/^etag_/);
  return rows.map((row) => ({
    entityType: row.entity_type,
    entityId: row.entity_id,
    tagId: row.tag_id,
    sourceType: row.source_type,
    sourceEntityType: row.source_entity_type,
    sourceEntityId: row.source_entity_id,
  }));
}

/** The same rows (as a multiset), or an error listing what is missing and what should not be there. */
function expectSameRows(world: World, actual: readonly TagRow[], expected: readonly TagRow[], what: string) {
  const [got, want] = [describeRows(world, actual), describeRows(world, expected)];
  const missing = [...want];
  const unexpected: string[] = [];
  for (const row of got) {
    const at = missing.indexOf(row);
    if (at >= 0) missing.splice(at, 1);
    else unexpected.push(row);
  }
  if (missing.length === 0 && unexpected.length === 0) return;
  throw new Error(
    `${what}: missing [${missing.join('; ')}], unexpected [${unexpected.join('; ')}]\n  expected: [${want.join('; ')}]\n  actual:   [${got.join('; ')}]`,
  );
}

async function expectDatabaseMatchesModel(world: World) {
  expectSameRows(world, await databaseRows(world), world.model.rows(), 'entity_tag rows of the workspace');
}

function appliedTagRows(world: World, entityType: EntityType, entityId: string, body: AppliedTags): TagRow[] {
  return body.tags.map((applied) => {
    expect(applied.tag.name).toBe(world.model.tagName(applied.tag.id));
    return {
      entityType,
      entityId,
      tagId: applied.tag.id,
      sourceType: applied.sourceType,
      sourceEntityType: applied.sourceEntityType ?? null,
      sourceEntityId: applied.sourceEntityId ?? null,
    };
  });
}

/** The contact or session row a write route answered with: what the tag looks like now. */
function expectDirectRow(
  row: TagContactResult['contactTag'],
  entityType: EntityType,
  entityId: string,
  tagId: string,
): void {
  expect(row).toMatchObject({
    entityType,
    entityId,
    tagId,
    sourceType: 'direct',
    sourceEntityType: null,
    sourceEntityId: null,
  });
  expect(row.id).toMatch(/^etag_/);
}

// ---- commands ---------------------------------------------------------------------------------

/** An index into the world's list (taken modulo its length), or -1 for an id that never existed. */
type Ref = number;
type BulkRef = { entityType: string; of: EntityType; ref: Ref };

type Command =
  | { kind: 'tagContact'; contact: Ref; tag: Ref }
  | { kind: 'tagSession'; session: Ref; tag: Ref; propagateToContact: boolean | undefined }
  | { kind: 'untagContact'; contact: Ref; tag: Ref }
  | { kind: 'untagSession'; session: Ref; tag: Ref }
  | { kind: 'syncTags'; session: Ref }
  | { kind: 'contactTags'; contact: Ref }
  | { kind: 'sessionTags'; session: Ref }
  | {
      kind: 'tagEntities';
      tag: Ref;
      entityType: EntityType | undefined;
      sourceType: SourceType | undefined;
      limit: number;
    }
  | { kind: 'bulkTag'; tag: Ref; items: BulkRef[] }
  | { kind: 'bulkUntag'; tag: Ref; items: BulkRef[] }
  | { kind: 'relink'; session: Ref; contact: Ref | null }
  | { kind: 'deleteContact'; contact: Ref }
  | { kind: 'deleteSession'; session: Ref }
  | { kind: 'deleteTag'; tag: Ref }
  | { kind: 'createContact' }
  | { kind: 'createSession'; contact: Ref | null }
  | { kind: 'createTag' };

const ref: fc.Arbitrary<Ref> = fc.oneof(
  { weight: 30, arbitrary: fc.nat(59) },
  { weight: 1, arbitrary: fc.constant(-1) },
);
/** Tags: mostly T0 and T1, so that rows meet and interact. */
const tagRef: fc.Arbitrary<Ref> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(0, 1) },
  { weight: 10, arbitrary: fc.nat(59) },
  { weight: 1, arbitrary: fc.constant(-1) },
);
const entityTypeArb = fc.constantFrom<EntityType>('contact', 'session');
const bulkRef: fc.Arbitrary<BulkRef> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ of: entityTypeArb, ref }).map(({ of, ref }) => ({ entityType: of, of, ref })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ of: entityTypeArb, ref })
      .map(({ of, ref }) => ({ entityType: of === 'contact' ? 'session' : 'contact', of, ref })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ of: entityTypeArb, ref }).map(({ of, ref }) => ({ entityType: 'account', of, ref })),
  },
);
const bulkItems = fc.array(bulkRef, { minLength: 1, maxLength: 6 });

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tagContact' as const), contact: ref, tag: tagRef }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('tagSession' as const),
      session: ref,
      tag: tagRef,
      propagateToContact: fc.constantFrom(undefined, false, true, true),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('untagContact' as const), contact: ref, tag: tagRef }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('untagSession' as const), session: ref, tag: tagRef }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('syncTags' as const), session: ref }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('contactTags' as const), contact: ref }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sessionTags' as const), session: ref }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tagEntities' as const),
      tag: tagRef,
      entityType: fc.constantFrom(undefined, 'contact' as const, 'session' as const),
      sourceType: fc.constantFrom(undefined, 'direct' as const, 'inherited' as const),
      limit: fc.constantFrom(1, 2, 3, 50),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bulkTag' as const), tag: tagRef, items: bulkItems }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bulkUntag' as const), tag: tagRef, items: bulkItems }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('relink' as const),
      session: ref,
      contact: fc.option(ref, { nil: null, freq: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteContact' as const), contact: ref }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteSession' as const), session: ref }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteTag' as const), tag: tagRef }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createContact' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('createSession' as const), contact: fc.option(ref, { nil: null }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createTag' as const) }) },
);

const pick = (list: readonly string[], r: Ref, ghost: string) => (r < 0 ? ghost : (list[r % list.length] ?? ghost));
const contactOf = (world: World, r: Ref) => pick(world.contacts, r, world.ghosts.contact);
const sessionOf = (world: World, r: Ref) => pick(world.sessions, r, world.ghosts.session);
const tagOf = (world: World, r: Ref) => pick(world.tags, r, world.ghosts.tag);

/** The bulk items of a command, without repeated entities (later repeats dropped). */
function bulkItemsOf(world: World, refs: readonly BulkRef[]): BulkItem[] {
  const seen = new Set<string>();
  const items: BulkItem[] = [];
  for (const r of refs) {
    const item = {
      entityType: r.entityType,
      entityId: r.of === 'contact' ? contactOf(world, r.ref) : sessionOf(world, r.ref),
    };
    const key = `${item.entityType}|${item.entityId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return items;
}

/** A command with its references resolved to short names (C0, S3, T1, C? for a never-existing id). */
function describeCommand(world: World, command: Command): string {
  const names: Record<string, unknown> = { kind: command.kind };
  for (const [key, value] of Object.entries(command)) {
    if (key === 'kind' || value === undefined) continue;
    if (key === 'contact') names[key] = typeof value === 'number' ? label(world, contactOf(world, value)) : value;
    else if (key === 'session') names[key] = typeof value === 'number' ? label(world, sessionOf(world, value)) : value;
    else if (key === 'tag') names[key] = typeof value === 'number' ? label(world, tagOf(world, value)) : value;
    else if (key === 'items')
      names[key] = bulkItemsOf(
        world,
        command.kind === 'bulkTag' || command.kind === 'bulkUntag' ? command.items : [],
      ).map((item) => `${item.entityType}:${label(world, item.entityId)}`);
    else names[key] = value;
  }
  return JSON.stringify(names);
}

/** Runs one command against the server and the model, checks the answer; returns a log line. */
async function runCommand(world: World, command: Command): Promise<string> {
  const { model } = world;
  const l = (id: string | null) => label(world, id);
  switch (command.kind) {
    case 'tagContact': {
      const [c, t] = [contactOf(world, command.contact), tagOf(world, command.tag)];
      const expected = model.tagContact(c, t);
      const response = await call(world, 'POST', scoped(world, `/contacts/${c}/tags`), { tagId: t });
      if (expectOutcome(response, expected) && expected.ok) {
        const body = response.body as TagContactResult;
        expectDirectRow(body.contactTag, 'contact', c, t);
        expect(body.propagatedToSessions, 'propagatedToSessions').toBe(expected.propagatedToSessions);
      }
      return `tag contact ${l(c)} with ${l(t)} → ${response.status} ${JSON.stringify(counts(response.body))}`;
    }
    case 'tagSession': {
      const [s, t] = [sessionOf(world, command.session), tagOf(world, command.tag)];
      const expected = model.tagSession(s, t, command.propagateToContact === true);
      const body =
        command.propagateToContact === undefined
          ? { tagId: t }
          : { tagId: t, propagateToContact: command.propagateToContact };
      const response = await call(world, 'POST', scoped(world, `/sessions/${s}/tags`), body);
      if (expectOutcome(response, expected) && expected.ok) {
        const result = response.body as TagSessionResult;
        expectDirectRow(result.sessionTag, 'session', s, t);
        expect(result.propagatedToContact, 'propagatedToContact').toBe(expected.propagatedToContact);
        if (result.propagatedToSessions !== undefined)
          expect(result.propagatedToSessions, 'propagatedToSessions').toBe(expected.propagatedToSessions);
      }
      return `tag session ${l(s)} with ${l(t)} propagateToContact=${String(command.propagateToContact)} → ${response.status} ${JSON.stringify(counts(response.body))}`;
    }
    case 'untagContact': {
      const [c, t] = [contactOf(world, command.contact), tagOf(world, command.tag)];
      const expected = model.untagContact(c, t);
      const response = await call(world, 'DELETE', scoped(world, `/contacts/${c}/tags/${t}`));
      if (expectOutcome(response, expected) && expected.ok)
        expect((response.body as UntagContactResult).removedFromSessions, 'removedFromSessions').toBe(
          expected.removedFromSessions,
        );
      return `untag contact ${l(c)} ${l(t)} → ${response.status} ${JSON.stringify(counts(response.body))}`;
    }
    case 'untagSession': {
      const [s, t] = [sessionOf(world, command.session), tagOf(world, command.tag)];
      const expected = model.untagSession(s, t);
      const response = await call(world, 'DELETE', scoped(world, `/sessions/${s}/tags/${t}`));
      if (expectOutcome(response, expected)) expect(response.body).toEqual({ success: true });
      return `untag session ${l(s)} ${l(t)} → ${response.status} ${JSON.stringify(counts(response.body))}`;
    }
    case 'syncTags': {
      const s = sessionOf(world, command.session);
      const expected = model.syncTags(s);
      const response = await call(world, 'POST', scoped(world, `/sessions/${s}/sync-tags`));
      if (expectOutcome(response, expected) && expected.ok) {
        const { addedTags, removedTags } = response.body as SyncSessionTagsResult;
        expect({ addedTags, removedTags }).toEqual({
          addedTags: expected.addedTags,
          removedTags: expected.removedTags,
        });
      }
      return `sync-tags ${l(s)} → ${response.status} ${JSON.stringify(counts(response.body))}`;
    }
    case 'contactTags': {
      const c = contactOf(world, command.contact);
      const expected = model.getContactTags(c);
      const response = await call(world, 'GET', scoped(world, `/contacts/${c}/tags`));
      if (expectOutcome(response, expected, false) && expected.ok) {
        const rows = appliedTagRows(world, 'contact', c, response.body as AppliedTags);
        expectSameRows(world, rows, expected.rows, `GET tags of ${l(c)}`);
      }
      return `GET tags of ${l(c)} → ${response.status}`;
    }
    case 'sessionTags': {
      const s = sessionOf(world, command.session);
      const expected = model.getSessionTags(s);
      const response = await call(world, 'GET', scoped(world, `/sessions/${s}/tags`));
      if (expectOutcome(response, expected, false) && expected.ok) {
        const rows = appliedTagRows(world, 'session', s, response.body as AppliedTags);
        expectSameRows(world, rows, expected.rows, `GET tags of ${l(s)}`);
      }
      return `GET tags of ${l(s)} → ${response.status}`;
    }
    case 'tagEntities': {
      const t = tagOf(world, command.tag);
      const filter = { entityType: command.entityType, sourceType: command.sourceType };
      const expected = model.getTagEntities(t, filter);
      const rows: TagRow[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let status: number | undefined;
      do {
        const response = await call(
          world,
          'GET',
          scoped(world, `/tags/${t}/entities`, { ...filter, limit: command.limit, cursor }),
        );
        status = response.status;
        if (!expectOutcome(response, expected, false)) break;
        const page = response.body as TagEntitiesResult;
        expect(page.entities.length).toBeLessThanOrEqual(command.limit);
        for (const entity of page.entities)
          rows.push({
            entityType: entity.entityType,
            entityId: entity.entityId,
            tagId: t,
            sourceType: entity.sourceType,
            sourceEntityType: entity.sourceEntityType ?? null,
            sourceEntityId: entity.sourceEntityId ?? null,
          });
        cursor = page.nextCursor ?? undefined;
        pages += 1;
        expect(pages, 'pages of tag entities').toBeLessThan(100);
      } while (cursor !== undefined);
      if (expected.ok) expectSameRows(world, rows, expected.rows, `entities of ${l(t)} ${JSON.stringify(filter)}`);
      return `GET entities of ${l(t)} ${JSON.stringify({ ...filter, limit: command.limit })} → ${String(status)} (${pages} pages)`;
    }
    case 'bulkTag': {
      const t = tagOf(world, command.tag);
      const items = bulkItemsOf(world, command.items);
      const expected = model.bulkTag(items, t);
      const response = await call(world, 'POST', scoped(world, '/bulk/tag'), { entities: items, tagId: t });
      if (expectOutcome(response, expected, false) && expected.ok) {
        const result = response.body as BulkTagResult;
        expect(result.success, 'success: some item applied').toBe(result.errors.length < items.length);
        expect({ tagged: result.tagged, skipped: result.skipped }).toEqual({
          tagged: expected.tagged,
          skipped: expected.skipped,
        });
        expectInRange(result.propagatedToSessions, expected.propagatedToSessions, 'propagatedToSessions');
        expectItemErrors(result.errors, expected.errors, []);
      }
      return `bulk tag ${l(t)} [${items.map((i) => `${i.entityType}:${l(i.entityId)}`).join(', ')}] → ${response.status} ${JSON.stringify(counts(response.body, world))}`;
    }
    case 'bulkUntag': {
      const t = tagOf(world, command.tag);
      const items = bulkItemsOf(world, command.items);
      const expected = model.bulkUntag(items, t);
      const response = await call(world, 'POST', scoped(world, '/bulk/untag'), { entities: items, tagId: t });
      if (expectOutcome(response, expected, false) && expected.ok) {
        const result = response.body as BulkUntagResult;
        expect(result.success, 'success: some item applied').toBe(result.errors.length < items.length);
        const reportedAmbiguous = result.errors.filter((e) => expected.conflictOrSkipped.includes(e.index)).length;
        expect({ untagged: result.untagged, skipped: result.skipped }).toEqual({
          untagged: expected.untagged,
          skipped: expected.skipped + expected.conflictOrSkipped.length - reportedAmbiguous,
        });
        expectInRange(result.removedFromSessions, expected.removedFromSessions, 'removedFromSessions');
        expectItemErrors(result.errors, expected.errors, expected.conflictOrSkipped);
      }
      return `bulk untag ${l(t)} [${items.map((i) => `${i.entityType}:${l(i.entityId)}`).join(', ')}] → ${response.status} ${JSON.stringify(counts(response.body, world))}`;
    }
    case 'relink': {
      const s = sessionOf(world, command.session);
      const c = command.contact === null ? null : contactOf(world, command.contact);
      const expected = model.relinkSession(s, c);
      const response = await call(world, 'PATCH', `/api/sessions/${s}`, { contactId: c });
      if (expected.ok) {
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect((response.body as Session).contactId).toBe(c);
      } else expectOutcome(response, expected, false);
      return `relink ${l(s)} to ${l(c)} → ${response.status}`;
    }
    case 'deleteContact': {
      const c = contactOf(world, command.contact);
      const expected = model.deleteContact(c);
      const response = await call(world, 'DELETE', `/api/contacts/${c}`);
      expectOutcome(response, expected);
      return `delete contact ${l(c)} → ${response.status}`;
    }
    case 'deleteSession': {
      const s = sessionOf(world, command.session);
      const expected = model.deleteSession(s);
      const response = await call(world, 'DELETE', `/api/sessions/${s}`);
      expectOutcome(response, expected);
      return `delete session ${l(s)} → ${response.status}`;
    }
    case 'deleteTag': {
      const t = tagOf(world, command.tag);
      const expected = model.deleteTag(t);
      const response = await call(world, 'DELETE', `/api/tags/${t}`);
      if (expectOutcome(response, expected) && expected.ok)
        expect((response.body as DeleteTagResult).removedEntityTags, 'removedEntityTags').toBe(
          expected.removedEntityTags,
        );
      return `delete tag ${l(t)} → ${response.status} ${JSON.stringify(response.body)}`;
    }
    case 'createContact':
      return `create contact → ${l(await createContact(world))}`;
    case 'createSession': {
      const c = command.contact === null ? null : contactOf(world, command.contact);
      return `create session linked to ${l(c)} → ${l(await createSession(world, c))}`;
    }
    case 'createTag':
      return `create tag → ${l(await createTag(world))}`;
  }
}

/** The counts of an answer, for the log (and item errors with short names). */
function counts(body: unknown, world?: World): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const entries = Object.entries(body).filter(([key]) => !['contactTag', 'sessionTag', 'success'].includes(key));
  if (world === undefined) return Object.fromEntries(entries);
  return Object.fromEntries(
    entries.map(([key, value]) =>
      key === 'errors' && Array.isArray(value)
        ? [key, value.map((e: BulkTagResult['errors'][number]) => `${e.index}:${label(world, e.entityId)}:${e.code}`)]
        : [key, value],
    ),
  );
}

function expectItemErrors(
  actual: BulkTagResult['errors'],
  expected: readonly ExpectedItemError[],
  conflictOrSkipped: readonly number[],
) {
  const firm = actual.filter((e) => !conflictOrSkipped.includes(e.index));
  for (const e of actual.filter((e) => conflictOrSkipped.includes(e.index))) expect(e.code).toBe('CONFLICT');
  expect(
    firm.map((e) => ({ index: e.index, entityType: e.entityType, entityId: e.entityId })),
    'bulk item errors',
  ).toEqual(expected.map((e) => ({ index: e.index, entityType: e.entityType, entityId: e.entityId })));
  firm.forEach((e, i) => expect(expected[i]?.codes, `code of item ${e.index}`).toContain(e.code));
}

// ---- the property -----------------------------------------------------------------------------

/**
 * Every run starts from rows that interact: C0 has T0 (S0, S1 inherit it), S0 has T1 directly,
 * S2 has T0 directly, and C1 has T1 from S2 (propagateToContact), which S2 has directly.
 */
const openingMoves: Command[] = [
  { kind: 'tagContact', contact: 0, tag: 0 },
  { kind: 'tagSession', session: 0, tag: 1, propagateToContact: undefined },
  { kind: 'tagSession', session: 2, tag: 0, propagateToContact: false },
  { kind: 'tagSession', session: 2, tag: 1, propagateToContact: true },
];

const numRuns = Number(process.env.INHERITANCE_RUNS ?? 40);

describe('entity-tag routes against the model of the inheritance rules', () => {
  it('keep the rules and answer the documented counts over random command sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 25, size: 'max' }), async (commands) => {
        const world = await newWorld();
        await expectDatabaseMatchesModel(world);
        const log: string[] = [];
        for (const [step, command] of [...openingMoves, ...commands].entries()) {
          try {
            log.push(`${step}: ${await runCommand(world, command)}`);
            await expectDatabaseMatchesModel(world);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`${log.join('\n')}\n✗ step ${step}: ${describeCommand(world, command)}\n${message}`, {
              cause: error,
            });
          }
        }
        // INHERITANCE_LOG=1 prints every run's steps (what the commands did and answered).
        if (process.env.INHERITANCE_LOG) console.log(log.join('\n'));
      }),
      { numRuns, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: false },
    );
  }, 240_000);
});

// ---- the trickiest rules, one example each ----------------------------------------------------

describe('inheritance examples', () => {
  let world: World;
  beforeAll(async () => {
    world = await newWorld();
  });

  const sessionTags = async (sessionId: string) =>
    describeRows(
      world,
      appliedTagRows(
        world,
        'session',
        sessionId,
        (await call(world, 'GET', scoped(world, `/sessions/${sessionId}/tags`))).body as AppliedTags,
      ),
    );

  it('falls back to inherited when a session loses a direct tag its contact has; refuses to untag an inherited one, naming the contact', async () => {
    const [c0] = world.contacts;
    const [s0] = world.sessions; // linked to C0
    const [t0] = world.tags;
    if (c0 === undefined || s0 === undefined || t0 === undefined) throw new Error('world not set up');

    expect((await call(world, 'POST', scoped(world, `/sessions/${s0}/tags`), { tagId: t0 })).status).toBe(201);
    const tagged = await call(world, 'POST', scoped(world, `/contacts/${c0}/tags`), { tagId: t0 });
    expect(tagged.status).toBe(201);
    // S0 has it directly already, S1 gains it.
    expect((tagged.body as TagContactResult).propagatedToSessions).toBe(1);
    expect(await sessionTags(s0)).toEqual(['S0 T0 direct']);

    const untagged = await call(world, 'DELETE', scoped(world, `/sessions/${s0}/tags/${t0}`));
    expect(untagged.status).toBe(200);
    expect(await sessionTags(s0)).toEqual(['S0 T0 inherited from contact C0']);

    const refused = await call(world, 'DELETE', scoped(world, `/sessions/${s0}/tags/${t0}`));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT' });
    expect((refused.body as ErrorBody).message).toContain(c0);
    expect(await sessionTags(s0)).toEqual(['S0 T0 inherited from contact C0']);

    const untagContact = await call(world, 'DELETE', scoped(world, `/contacts/${c0}/tags/${t0}`));
    expect(untagContact.body).toEqual({ success: true, removedFromSessions: 2 });
    expect(await sessionTags(s0)).toEqual([]);
  });

  it('propagateToContact tags the contact (inherited from the session) and its other sessions', async () => {
    const [, c1] = world.contacts;
    const [t1] = world.tags.slice(1);
    if (c1 === undefined || t1 === undefined) throw new Error('world not set up');
    // C1 gets two more sessions: one that has T1 directly, one that has nothing.
    const direct = await createSession(world, c1);
    const bare = await createSession(world, c1);
    const s2 = world.sessions[2]; // linked to C1
    if (direct === null || bare === null || s2 === undefined) throw new Error('sessions not created');
    expect((await call(world, 'POST', scoped(world, `/sessions/${direct}/tags`), { tagId: t1 })).status).toBe(201);

    const response = await call(world, 'POST', scoped(world, `/sessions/${s2}/tags`), {
      tagId: t1,
      propagateToContact: true,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ success: true, propagatedToContact: true });
    const contactTags = (await call(world, 'GET', scoped(world, `/contacts/${c1}/tags`))).body as AppliedTags;
    expect(describeRows(world, appliedTagRows(world, 'contact', c1, contactTags))).toEqual([
      'C1 T1 inherited from session S2',
    ]);
    expect(await sessionTags(s2)).toEqual(['S2 T1 direct']);
    expect(await sessionTags(direct)).toEqual([`${label(world, direct)} T1 direct`]);
    expect(await sessionTags(bare)).toEqual([`${label(world, bare)} T1 inherited from contact C1`]);

    // Tagging the contact directly now turns its row direct and propagates nothing new.
    const again = await call(world, 'POST', scoped(world, `/contacts/${c1}/tags`), { tagId: t1 });
    expect(again.status).toBe(201);
    expect((again.body as TagContactResult).contactTag).toMatchObject({ sourceType: 'direct', sourceEntityId: null });
    expect((again.body as TagContactResult).propagatedToSessions).toBe(0);
    expect((await call(world, 'POST', scoped(world, `/contacts/${c1}/tags`), { tagId: t1 })).status).toBe(409);

    // Untagging the contact takes what its sessions inherited, not their direct rows.
    const untag = await call(world, 'DELETE', scoped(world, `/contacts/${c1}/tags/${t1}`));
    expect(untag.body).toEqual({ success: true, removedFromSessions: 1 });
    expect(await sessionTags(s2)).toEqual(['S2 T1 direct']);
    expect(await sessionTags(bare)).toEqual([]);
  });

  it('bulk tagging applies the valid items and reports the others one by one; an invalid entity type is a 400', async () => {
    const [, , c2] = world.contacts;
    const [, , , t3] = world.tags;
    const s3 = world.sessions[3]; // linked to C2
    if (c2 === undefined || t3 === undefined || s3 === undefined) throw new Error('world not set up');
    const entities = [
      { entityType: 'contact', entityId: c2 },
      { entityType: 'session', entityId: c2 },
      { entityType: 'session', entityId: world.ghosts.session },
    ];
    const refused = await call(world, 'POST', scoped(world, '/bulk/tag'), {
      entities: [...entities, { entityType: 'account', entityId: c2 }],
      tagId: t3,
    });
    expect(refused.status).toBe(400);
    expect(await sessionTags(s3)).toEqual([]);
    const response = await call(world, 'POST', scoped(world, '/bulk/tag'), { entities, tagId: t3 });
    expect(response.status).toBe(200);
    const result = response.body as BulkTagResult;
    expect(result).toMatchObject({ success: true, tagged: 1, skipped: 0, propagatedToSessions: 1 });
    expect(result.errors.map((e) => [e.index, e.code])).toEqual([
      [1, 'NOT_FOUND'],
      [2, 'NOT_FOUND'],
    ]);
    expect(await sessionTags(s3)).toEqual(['S3 T3 inherited from contact C2']);

    const untag = await call(world, 'POST', scoped(world, '/bulk/untag'), {
      entities: [{ entityType: 'session', entityId: s3 }],
      tagId: t3,
    });
    expect(untag.status).toBe(200);
    // Its only entity failed: the request did not succeed.
    expect(untag.body).toMatchObject({ success: false, untagged: 0, skipped: 0 });
    expect((untag.body as BulkUntagResult).errors).toMatchObject([{ index: 0, code: 'CONFLICT', entityId: s3 }]);
  });

  it('sync-tags repairs a session whose rows were changed behind the service’s back', async () => {
    const fresh = await newWorld();
    const [c0] = fresh.contacts;
    const [s0, s1] = fresh.sessions; // both linked to C0
    const [t0, , t2] = fresh.tags;
    if (c0 === undefined || s0 === undefined || s1 === undefined || t0 === undefined || t2 === undefined)
      throw new Error('world not set up');
    expect((await call(fresh, 'POST', scoped(fresh, `/contacts/${c0}/tags`), { tagId: t0 })).status).toBe(201);
    fresh.model.tagContact(c0, t0);
    expect((await call(fresh, 'POST', scoped(fresh, `/sessions/${s1}/sync-tags`))).body).toEqual({
      success: true,
      addedTags: 0,
      removedTags: 0,
    });
    // S1 loses the T0 it inherits and gains a T2 that C0 does not have.
    const em = server.db.fork();
    await em.execute(
      `delete from entity_tag where workspace_id = ? and entity_type = 'session' and entity_id = ? and tag_id = ?`,
      [fresh.workspace.id, s1, t0],
    );
    await em.execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       values (?, 'etag_' || tagging_uuid_v7(), 'session', ?, ?, 'inherited', 'contact', ?)`,
      [fresh.workspace.id, s1, t2, c0],
    );
    const synced = await call(fresh, 'POST', scoped(fresh, `/sessions/${s1}/sync-tags`));
    expect(synced.status).toBe(200);
    expect(synced.body).toEqual({ success: true, addedTags: 1, removedTags: 1 });
    await expectDatabaseMatchesModel(fresh);
  });
});
