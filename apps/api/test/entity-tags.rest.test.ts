import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AppliedTags,
  BulkTagResult,
  BulkUntagResult,
  PropagationJob,
  TagContactResult,
  TagEntitiesResult,
} from '@tagging/contracts';
import { findInvariantViolations } from '@tagging/domain';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let ws: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 5 }, batchSize: 2 });
  ws = await server.newWorkspace('Entity tags');
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown, workspace = ws) =>
  restCall(server, method, `${path}${path.includes('?') ? '&' : '?'}workspaceId=${workspace.id}`, {
    body,
    apiKey: workspace.apiKey,
  });
const created = async (path: string, body: unknown, workspace = ws) =>
  ((await restCall(server, 'POST', path, { body, apiKey: workspace.apiKey })).body as { id: string }).id;
const newTag = (name: string, workspace = ws) => created('/api/tags', { name, color: '#FF5733' }, workspace);
const newContact = (workspace = ws) => created('/api/contacts', { name: 'C' }, workspace);
const newSession = (contactId?: string, workspace = ws) =>
  created('/api/sessions', contactId ? { contactId } : {}, workspace);
const tagsOf = async (kind: 'contacts' | 'sessions', id: string) =>
  ((await call('GET', `/api/entity-tags/${kind}/${id}/tags`)).body as AppliedTags).tags.map((t) => [
    t.tag.name,
    t.sourceType,
    t.sourceEntityId ?? null,
  ]);

const expectHealthy = async () => expect(await findInvariantViolations(server.db.fork())).toEqual([]);

describe('the documented flow', () => {
  it('tags a contact, propagates to its sessions, reads, untags', async () => {
    const vip = await newTag('VIP Customer');
    const followUp = await newTag('Follow Up');
    const contact = await newContact();
    const [abc, def] = [await newSession(contact), await newSession(contact)];

    const tagged = await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: vip });
    expect(tagged.status).toBe(201);
    expect(tagged.body).toMatchObject({
      success: true,
      contactTag: { entityType: 'contact', entityId: contact, tagId: vip, sourceType: 'direct' },
      propagatedToSessions: 2,
    });
    expect((tagged.body as TagContactResult).contactTag.id).toMatch(/^etag_/);

    const sessionTagged = await call('POST', `/api/entity-tags/sessions/${abc}/tags`, { tagId: followUp });
    expect(sessionTagged.status).toBe(201);
    expect(sessionTagged.body).toMatchObject({
      success: true,
      sessionTag: { entityType: 'session', entityId: abc, tagId: followUp, sourceType: 'direct' },
      propagatedToContact: false,
    });

    expect(await tagsOf('contacts', contact)).toEqual([['VIP Customer', 'direct', null]]);
    expect((await tagsOf('sessions', abc)).sort()).toEqual([
      ['Follow Up', 'direct', null],
      ['VIP Customer', 'inherited', contact],
    ]);
    const read = (await call('GET', `/api/entity-tags/sessions/${abc}/tags`)).body as AppliedTags;
    expect(read.tags.find((t) => t.sourceType === 'inherited')).toMatchObject({
      tag: { id: vip, name: 'VIP Customer', color: '#FF5733' },
      sourceEntityType: 'contact',
      sourceEntityId: contact,
    });
    expect(await tagsOf('sessions', def)).toEqual([['VIP Customer', 'inherited', contact]]);

    const entities = (await call('GET', `/api/entity-tags/tags/${vip}/entities`)).body as TagEntitiesResult;
    expect(entities.entities.map((e) => [e.entityType, e.entityId, e.sourceType])).toEqual(
      expect.arrayContaining([
        ['contact', contact, 'direct'],
        ['session', abc, 'inherited'],
        ['session', def, 'inherited'],
      ]),
    );
    const onlyInherited = (
      await call('GET', `/api/entity-tags/tags/${vip}/entities?entityType=session&sourceType=inherited`)
    ).body as TagEntitiesResult;
    expect(onlyInherited.entities).toHaveLength(2);
    expect(onlyInherited.entities[0]).toMatchObject({ sourceEntityType: 'contact', sourceEntityId: contact });

    expect((await call('POST', `/api/entity-tags/sessions/${abc}/sync-tags`)).body).toEqual({
      success: true,
      addedTags: 0,
      removedTags: 0,
    });

    const untagged = await call('DELETE', `/api/entity-tags/contacts/${contact}/tags/${vip}`);
    expect(untagged.body).toEqual({ success: true, removedFromSessions: 2 });
    expect(await tagsOf('sessions', abc)).toEqual([['Follow Up', 'direct', null]]);
    expect((await call('DELETE', `/api/entity-tags/sessions/${abc}/tags/${followUp}`)).body).toEqual({ success: true });
    expect(await tagsOf('sessions', abc)).toEqual([]);
    await expectHealthy();
  });

  it('answers 409 for a tag already applied directly, 404 for unknown ids of any shape, 400 for missing ones', async () => {
    const tag = await newTag('Twice');
    const contact = await newContact();
    const session = await newSession();
    await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: tag });
    expect((await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: tag })).status).toBe(409);
    await call('POST', `/api/entity-tags/sessions/${session}/tags`, { tagId: tag });
    expect((await call('POST', `/api/entity-tags/sessions/${session}/tags`, { tagId: tag })).status).toBe(409);
    const missingTag = 'wtag_00000000-0000-7000-8000-000000000000';
    expect((await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: missingTag })).status).toBe(404);
    expect(
      (
        await call('POST', `/api/entity-tags/contacts/contact_00000000-0000-7000-8000-000000000000/tags`, {
          tagId: tag,
        })
      ).status,
    ).toBe(404);
    expect((await call('DELETE', `/api/entity-tags/contacts/${contact}/tags/${missingTag}`)).status).toBe(404);
    expect((await call('POST', `/api/entity-tags/contacts/${contact}/tags`, {})).status).toBe(400);
    expect((await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: 'VIP' })).status).toBe(404);
    expect((await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: 42 })).status).toBe(400);
    expect((await call('GET', `/api/entity-tags/tags/${tag}/entities?entityType=robot`)).status).toBe(400);
  });

  it('requires workspaceId in the query string and refuses another workspace', async () => {
    const contact = await newContact();
    const other = await server.newWorkspace('Other');
    const noWorkspace = await restCall(server, 'GET', `/api/entity-tags/contacts/${contact}/tags`, {
      apiKey: ws.apiKey,
    });
    expect(noWorkspace.status).toBe(400);
    expect(noWorkspace.body).toMatchObject({ issues: [{ path: ['workspaceId'] }] });
    expect((await call('GET', `/api/entity-tags/contacts/${contact}/tags`, undefined, other)).status).toBe(404);
    const forbidden = await restCall(
      server,
      'GET',
      `/api/entity-tags/contacts/${contact}/tags?workspaceId=${other.id}`,
      {
        apiKey: ws.apiKey,
      },
    );
    expect(forbidden.status).toBe(403);
  });
});

describe('inheritance edge rules', () => {
  it('session untag falls back to inherited; untagging an inherited tag is a 409 naming the contact', async () => {
    const tag = await newTag('Fallback');
    const contact = await newContact();
    const session = await newSession(contact);
    await call('POST', `/api/entity-tags/sessions/${session}/tags`, { tagId: tag });
    await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: tag });
    expect(await tagsOf('sessions', session)).toEqual([['Fallback', 'direct', null]]);
    await call('DELETE', `/api/entity-tags/sessions/${session}/tags/${tag}`);
    expect(await tagsOf('sessions', session)).toEqual([['Fallback', 'inherited', contact]]);
    const refused = await call('DELETE', `/api/entity-tags/sessions/${session}/tags/${tag}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(contact) });
    // Tagging it directly makes the inherited row direct.
    expect((await call('POST', `/api/entity-tags/sessions/${session}/tags`, { tagId: tag })).status).toBe(201);
    expect(await tagsOf('sessions', session)).toEqual([['Fallback', 'direct', null]]);
    await expectHealthy();
  });

  it('propagateToContact tags the contact from the session and reaches its other sessions', async () => {
    const tag = await newTag('Up and down');
    const contact = await newContact();
    const [origin, sibling] = [await newSession(contact), await newSession(contact)];
    const response = await call('POST', `/api/entity-tags/sessions/${origin}/tags`, {
      tagId: tag,
      propagateToContact: 'true',
    });
    expect(response.body).toMatchObject({ propagatedToContact: true, sessionTag: { sourceType: 'direct' } });
    expect(await tagsOf('contacts', contact)).toEqual([['Up and down', 'inherited', origin]]);
    expect(await tagsOf('sessions', sibling)).toEqual([['Up and down', 'inherited', contact]]);
    expect(await tagsOf('sessions', origin)).toEqual([['Up and down', 'direct', null]]);
    // "false" as a string is false, not Boolean("false").
    const other = await newSession(contact);
    const tag2 = await newTag('Stays down');
    const noPropagation = await call('POST', `/api/entity-tags/sessions/${other}/tags`, {
      tagId: tag2,
      propagateToContact: 'false',
    });
    expect(noPropagation.body).toMatchObject({ propagatedToContact: false });
    expect(await tagsOf('contacts', contact)).toEqual([['Up and down', 'inherited', origin]]);
    // The contact row goes only with the contact's untag; sibling and the newer session lose it.
    expect((await call('DELETE', `/api/entity-tags/contacts/${contact}/tags/${tag}`)).body).toMatchObject({
      removedFromSessions: 2,
    });
    expect(await tagsOf('sessions', origin)).toEqual([['Up and down', 'direct', null]]);
    await expectHealthy();
  });

  it('sync-tags repairs rows written behind the service', async () => {
    const tag = await newTag('Repair');
    const contact = await newContact();
    const session = await newSession(contact);
    await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: tag });
    await server.db.fork().execute(`delete from entity_tag where workspace_id = ? and entity_id = ?`, [ws.id, session]);
    expect(await findInvariantViolations(server.db.fork())).toHaveLength(1);
    const sync = await restCall(server, 'POST', `/api/entity-tags/sessions/${session}/sync-tags?workspaceId=${ws.id}`, {
      apiKey: ws.apiKey,
    });
    expect(sync.body).toEqual({
      success: true,
      addedTags: 1,
      removedTags: 0,
    });
    await expectHealthy();
  });
});

describe('bulk', () => {
  it('tags mixed contacts and sessions, skips what is there, reports bad items and applies the rest', async () => {
    const tag = await newTag('Bulk');
    const [c1, c2] = [await newContact(), await newContact()];
    const [s1, s2] = [await newSession(c1), await newSession()];
    await call('POST', `/api/entity-tags/sessions/${s2}/tags`, { tagId: tag });
    const result = (
      await call('POST', '/api/entity-tags/bulk/tag', {
        tagId: tag,
        entities: [
          { entityType: 'contact', entityId: c1 },
          { entityType: 'contact', entityId: c2 },
          { entityType: 'session', entityId: s2 },
          { entityType: 'session', entityId: 'x' },
          { entityType: 'session', entityId: 'wses_00000000-0000-7000-8000-000000000000' },
          { entityType: 'contact', entityId: c1 },
        ],
      })
    ).body as BulkTagResult;
    expect(result).toMatchObject({ success: true, tagged: 2, skipped: 2, propagatedToSessions: 1 });
    expect(result.errors.map((e) => [e.index, e.code])).toEqual([
      [3, 'NOT_FOUND'],
      [4, 'NOT_FOUND'],
    ]);
    expect(await tagsOf('sessions', s1)).toEqual([['Bulk', 'inherited', c1]]);

    const untag = (
      await call('POST', '/api/entity-tags/bulk/untag', {
        tagId: tag,
        entities: [
          { entityType: 'session', entityId: s1 },
          { entityType: 'contact', entityId: c2 },
          { entityType: 'session', entityId: s2 },
        ],
      })
    ).body as BulkUntagResult;
    expect(untag).toMatchObject({ untagged: 2, skipped: 0, errors: [{ index: 0, code: 'CONFLICT' }] });
    expect(await tagsOf('sessions', s2)).toEqual([]);
    await expectHealthy();
  });

  it('refuses more than 10,000 entities with 413', async () => {
    const tag = await newTag('Too many');
    const entities = Array.from({ length: 10_001 }, () => ({ entityType: 'contact', entityId: 'x' }));
    expect((await call('POST', '/api/entity-tags/bulk/tag', { tagId: tag, entities })).status).toBe(413);
  });
});

describe('deferred propagation', () => {
  it('commits the contact row at once and finishes the sessions in a background job', async () => {
    const tag = await newTag('Big fan-out');
    const contact = await newContact();
    const sessions: string[] = [];
    for (let i = 0; i < 7; i++) sessions.push(await newSession(contact));
    const response = (await call('POST', `/api/entity-tags/contacts/${contact}/tags`, { tagId: tag }))
      .body as TagContactResult;
    expect(response.propagatedToSessions).toBe(0);
    expect(response.deferred).toMatchObject({ status: 'pending', sessions: 6 });
    expect(await tagsOf('contacts', contact)).toEqual([['Big fan-out', 'direct', null]]);
    await server.waitForJobs();
    const job = (await call('GET', response.deferred?.statusUrl.replace(/\?.*/, '') ?? '')).body as PropagationJob;
    expect(job).toMatchObject({ status: 'done', processedSessions: 7, kind: 'tag-contact' });
    for (const session of sessions)
      expect(await tagsOf('sessions', session)).toEqual([['Big fan-out', 'inherited', contact]]);
    await expectHealthy();

    // Up to the limit (5) + 1 go at once, the one left in a job.
    const untag = (await call('DELETE', `/api/entity-tags/contacts/${contact}/tags/${tag}`)).body;
    expect(untag).toMatchObject({ removedFromSessions: 6, deferred: { status: 'pending', sessions: 1 } });
    await server.waitForJobs();
    for (const session of sessions) expect(await tagsOf('sessions', session)).toEqual([]);
    await expectHealthy();
  });
});
