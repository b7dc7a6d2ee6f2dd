/**
 * A reference model of the entity-tag inheritance rules (DESIGN.md, "Inheritance: the rules every
 * code path keeps"), in memory and without I/O. Each operation mirrors one REST route: it
 * changes the model as the route should change the database and returns what the route should
 * answer (status, error code, the documented counts).
 *
 * The model stores only what the rules do not derive: which contacts, sessions and tags exist,
 * which session links to which contact, every contact row (with its source), and the direct
 * tags of each session. Session rows are derived: direct(S) ∪ tags-of(contact of S), a row being
 * `direct` iff in direct(S), otherwise `inherited` with source (`contact`, C).
 */

export type EntityType = 'contact' | 'session';
export type SourceType = 'direct' | 'inherited';

/** One `entity_tag` row as the rules determine it (ids and timestamps aside). */
export type TagRow = {
  entityType: EntityType;
  entityId: string;
  tagId: string;
  sourceType: SourceType;
  sourceEntityType: EntityType | null;
  sourceEntityId: string | null;
};

export type ErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_ERROR' | 'PRECONDITION_FAILED';

/** A refused request: its status, its error code and, where the rules say so, an id its message names. */
export type Refusal = { ok: false; status: 400 | 404 | 409 | 412; code: ErrorCode; messageNames?: string };
export type Accepted<T> = { ok: true; status: 200 | 201 } & T;
export type Outcome<T> = Accepted<T> | Refusal;

/** An inclusive range, for counts that depend on the order in which a bulk request is applied. */
export type Range = { min: number; max: number };

export type BulkItem = { entityType: string; entityId: string };
/** A per-item error of a bulk request; `codes` lists the acceptable codes. */
export type ExpectedItemError = { index: number; entityType: string; entityId: string; codes: readonly ErrorCode[] };

export type BulkTagExpectation = {
  tagged: number;
  skipped: number;
  propagatedToSessions: Range;
  errors: ExpectedItemError[];
};

export type BulkUntagExpectation = {
  untagged: number;
  /** Skipped items, not counting those in `conflictOrSkipped`. */
  skipped: number;
  removedFromSessions: Range;
  errors: ExpectedItemError[];
  /**
   * Items (indices) that may be either a CONFLICT error or skipped: a session that only inherits
   * the tag from a contact untagged by the same request (a CONFLICT when items are judged against
   * the state before the request, skipped when the contact item is applied first).
   */
  conflictOrSkipped: number[];
};

export type TagEntitiesFilter = { entityType?: EntityType; sourceType?: SourceType };

/** A session's tags as the Zapini conversation routes show them: direct and inherited tag ids. */
export type ConversationTags = { direct: string[]; inherited: string[] };

/** How an item of `POST /api/sessions/bulk` names its contact. */
export type SessionLink =
  | { kind: 'keep' }
  | { kind: 'unlink' }
  | { kind: 'contactId'; contactId: string }
  | { kind: 'contactExternalId'; contactExternalId: string };

export type SessionUpsertItem = { externalId?: string; link: SessionLink };

/** An item error of a bulk upsert. */
export type UpsertItemError = { index: number; code: ErrorCode };

export type BulkUpsertExpectation = {
  created: number;
  updated: number;
  errors: UpsertItemError[];
  /** Applied items, in request order: the record an item updated, or null for a new one. */
  applied: { index: number; existing: string | null; externalId: string | undefined; contactId: string | null }[];
};

const contactPrefix = 'contact_';
const sessionPrefix = 'wses_';

const rowKey = (row: TagRow) =>
  [row.entityType, row.entityId, row.tagId, row.sourceType, row.sourceEntityType ?? '', row.sourceEntityId ?? ''].join(
    '|',
  );

/** Rows in one canonical order, to compare lists as multisets. */
export function sortRows<T extends TagRow>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0));
}

const notFound = (): Refusal => ({ ok: false, status: 404, code: 'NOT_FOUND' });
/** A structurally wrong request (issue 15: an unknown entity type in bulk), refused whole. */
const invalid = (): Refusal => ({ ok: false, status: 400, code: 'VALIDATION_ERROR' });
const hasInvalidEntityType = (items: readonly BulkItem[]) =>
  items.some((item) => item.entityType !== 'contact' && item.entityType !== 'session');
const conflict = (messageNames?: string): Refusal =>
  messageNames === undefined
    ? { ok: false, status: 409, code: 'CONFLICT' }
    : { ok: false, status: 409, code: 'CONFLICT', messageNames };

export class InheritanceModel {
  private readonly contacts = new Set<string>();
  /** session → its contact, or null when unlinked */
  private readonly sessions = new Map<string, string | null>();
  /** tag → its name */
  private readonly tags = new Map<string, string>();
  /** contact → tag → the session its row came from (propagateToContact), or null for a direct row */
  private readonly contactTags = new Map<string, Map<string, string | null>>();
  /** session → its direct tags */
  private readonly sessionDirect = new Map<string, Set<string>>();
  /** external id → contact, and → session (unique per workspace; freed when the record goes) */
  private readonly contactByExternalId = new Map<string, string>();
  private readonly sessionByExternalId = new Map<string, string>();

  // ---- the world -------------------------------------------------------------------------

  hasContact(id: string): boolean {
    return this.contacts.has(id);
  }
  hasSession(id: string): boolean {
    return this.sessions.has(id);
  }
  hasTag(id: string): boolean {
    return this.tags.has(id);
  }
  tagName(id: string): string | undefined {
    return this.tags.get(id);
  }
  contactOf(sessionId: string): string | null {
    return this.sessions.get(sessionId) ?? null;
  }

  /** POST /api/contacts → 201 (the test registers the id the server gave). */
  addContact(id: string, externalId?: string): void {
    this.contacts.add(id);
    this.contactTags.set(id, new Map());
    if (externalId !== undefined) this.contactByExternalId.set(externalId, id);
  }

  /** POST /api/tags → 201. */
  addTag(id: string, name: string): void {
    this.tags.set(id, name);
  }

  /** What POST /api/sessions {contactId} answers: 201, or 404 for an unknown contact. */
  createSessionOutcome(contactId: string | null): Outcome<object> {
    if (contactId !== null && !this.contacts.has(contactId)) return notFound();
    return { ok: true, status: 201 };
  }

  /** Registers a session created with POST /api/sessions; it inherits its contact's tags. */
  addSession(id: string, contactId: string | null, externalId?: string): void {
    this.sessions.set(id, contactId);
    this.sessionDirect.set(id, new Set());
    if (externalId !== undefined) this.sessionByExternalId.set(externalId, id);
  }

  private forgetExternalId(byExternalId: Map<string, string>, id: string): void {
    for (const [externalId, owner] of byExternalId) if (owner === id) byExternalId.delete(externalId);
  }

  // ---- reading the state -----------------------------------------------------------------

  /** Where session S holds tag T: 'direct', 'inherited' (from its contact), or null. */
  private sessionSource(sessionId: string, tagId: string): SourceType | null {
    if (this.sessionDirect.get(sessionId)?.has(tagId)) return 'direct';
    const contactId = this.sessions.get(sessionId) ?? null;
    if (contactId !== null && this.contactTags.get(contactId)?.has(tagId)) return 'inherited';
    return null;
  }

  /** Where contact C holds tag T: 'direct', 'inherited' (from a session), or null. */
  private contactSource(contactId: string, tagId: string): SourceType | null {
    const tags = this.contactTags.get(contactId);
    if (!tags?.has(tagId)) return null;
    return tags.get(tagId) === null ? 'direct' : 'inherited';
  }

  private sessionsOf(contactId: string): string[] {
    return [...this.sessions].filter(([, c]) => c === contactId).map(([s]) => s);
  }

  /** The rows of one contact. */
  contactRows(contactId: string): TagRow[] {
    const out: TagRow[] = [];
    for (const [tagId, fromSession] of this.contactTags.get(contactId) ?? []) {
      out.push({
        entityType: 'contact',
        entityId: contactId,
        tagId,
        sourceType: fromSession === null ? 'direct' : 'inherited',
        sourceEntityType: fromSession === null ? null : 'session',
        sourceEntityId: fromSession,
      });
    }
    return sortRows(out);
  }

  /** The rows of one session: direct(S) ∪ tags-of(C), each once. */
  sessionRows(sessionId: string): TagRow[] {
    const out: TagRow[] = [];
    const direct = this.sessionDirect.get(sessionId) ?? new Set<string>();
    for (const tagId of direct) {
      out.push({
        entityType: 'session',
        entityId: sessionId,
        tagId,
        sourceType: 'direct',
        sourceEntityType: null,
        sourceEntityId: null,
      });
    }
    const contactId = this.sessions.get(sessionId) ?? null;
    if (contactId !== null) {
      for (const tagId of this.contactTags.get(contactId)?.keys() ?? []) {
        if (direct.has(tagId)) continue;
        out.push({
          entityType: 'session',
          entityId: sessionId,
          tagId,
          sourceType: 'inherited',
          sourceEntityType: 'contact',
          sourceEntityId: contactId,
        });
      }
    }
    return sortRows(out);
  }

  /** The full expected content of `entity_tag` for the workspace, in `sortRows` order. */
  rows(): TagRow[] {
    const out: TagRow[] = [];
    for (const contactId of this.contacts) out.push(...this.contactRows(contactId));
    for (const sessionId of this.sessions.keys()) out.push(...this.sessionRows(sessionId));
    return sortRows(out);
  }

  /** session → where it holds the tag, for every session */
  private sessionSources(tagId: string): Map<string, SourceType | null> {
    return new Map([...this.sessions.keys()].map((s) => [s, this.sessionSource(s, tagId)]));
  }

  // ---- the entity-tag routes ---------------------------------------------------------------

  /** POST /api/entity-tags/contacts/{contactId}/tags {tagId} */
  tagContact(contactId: string, tagId: string): Outcome<{ propagatedToSessions: number }> {
    if (!this.contacts.has(contactId) || !this.tags.has(tagId)) return notFound();
    if (this.contactSource(contactId, tagId) === 'direct') return conflict();
    const before = this.sessionSources(tagId);
    this.contactTags.get(contactId)?.set(tagId, null);
    const propagatedToSessions = this.sessionsOf(contactId).filter((s) => before.get(s) === null).length;
    return { ok: true, status: 201, propagatedToSessions };
  }

  /** POST /api/entity-tags/sessions/{sessionId}/tags {tagId, propagateToContact} */
  tagSession(
    sessionId: string,
    tagId: string,
    propagateToContact: boolean,
  ): Outcome<{ propagatedToContact: boolean; propagatedToSessions: number }> {
    if (!this.sessions.has(sessionId) || !this.tags.has(tagId)) return notFound();
    if (this.sessionSource(sessionId, tagId) === 'direct') return conflict();
    const before = this.sessionSources(tagId);
    this.sessionDirect.get(sessionId)?.add(tagId);
    const contactId = this.sessions.get(sessionId) ?? null;
    if (!propagateToContact || contactId === null || this.contactSource(contactId, tagId) !== null) {
      return { ok: true, status: 201, propagatedToContact: false, propagatedToSessions: 0 };
    }
    this.contactTags.get(contactId)?.set(tagId, sessionId);
    const propagatedToSessions = this.sessionsOf(contactId).filter(
      (s) => s !== sessionId && before.get(s) === null,
    ).length;
    return { ok: true, status: 201, propagatedToContact: true, propagatedToSessions };
  }

  /** DELETE /api/entity-tags/contacts/{contactId}/tags/{tagId} */
  untagContact(contactId: string, tagId: string): Outcome<{ removedFromSessions: number }> {
    if (!this.contacts.has(contactId) || !this.tags.has(tagId)) return notFound();
    if (this.contactSource(contactId, tagId) === null) return notFound();
    const inheriting = this.sessionsOf(contactId).filter((s) => this.sessionSource(s, tagId) === 'inherited');
    this.contactTags.get(contactId)?.delete(tagId);
    return { ok: true, status: 200, removedFromSessions: inheriting.length };
  }

  /** DELETE /api/entity-tags/sessions/{sessionId}/tags/{tagId} */
  untagSession(sessionId: string, tagId: string): Outcome<object> {
    if (!this.sessions.has(sessionId) || !this.tags.has(tagId)) return notFound();
    const source = this.sessionSource(sessionId, tagId);
    if (source === null) return notFound();
    if (source === 'inherited') return conflict(this.sessions.get(sessionId) ?? undefined);
    // A direct row: it falls back to inherited if the contact has the tag (derived), else goes.
    this.sessionDirect.get(sessionId)?.delete(tagId);
    return { ok: true, status: 200 };
  }

  /** POST /api/entity-tags/sessions/{sessionId}/sync-tags: nothing to repair in a healthy state. */
  syncTags(sessionId: string): Outcome<{ addedTags: number; removedTags: number }> {
    if (!this.sessions.has(sessionId)) return notFound();
    return { ok: true, status: 200, addedTags: 0, removedTags: 0 };
  }

  /** GET /api/entity-tags/contacts/{contactId}/tags */
  getContactTags(contactId: string): Outcome<{ rows: TagRow[] }> {
    if (!this.contacts.has(contactId)) return notFound();
    return { ok: true, status: 200, rows: this.contactRows(contactId) };
  }

  /** GET /api/entity-tags/sessions/{sessionId}/tags */
  getSessionTags(sessionId: string): Outcome<{ rows: TagRow[] }> {
    if (!this.sessions.has(sessionId)) return notFound();
    return { ok: true, status: 200, rows: this.sessionRows(sessionId) };
  }

  /** GET /api/entity-tags/tags/{tagId}/entities?entityType=&sourceType= (all pages together) */
  getTagEntities(tagId: string, filter: TagEntitiesFilter): Outcome<{ rows: TagRow[] }> {
    if (!this.tags.has(tagId)) return notFound();
    const rows = this.rows().filter(
      (row) =>
        row.tagId === tagId &&
        (filter.entityType === undefined || row.entityType === filter.entityType) &&
        (filter.sourceType === undefined || row.sourceType === filter.sourceType),
    );
    return { ok: true, status: 200, rows };
  }

  /**
   * Why a bulk item cannot be applied (the acceptable error codes), or null. A well-formed id of
   * the wrong kind (a session id as a contact) may be reported as not found or as invalid.
   */
  private bulkItemProblem(item: BulkItem): readonly ErrorCode[] | null {
    const prefix = item.entityType === 'contact' ? contactPrefix : sessionPrefix;
    if (!item.entityId.startsWith(prefix)) return ['NOT_FOUND'];
    const exists = item.entityType === 'contact' ? this.contacts.has(item.entityId) : this.sessions.has(item.entityId);
    return exists ? null : ['NOT_FOUND'];
  }

  /**
   * POST /api/entity-tags/bulk/tag. Items are judged against the state before the request; the
   * final state does not depend on the order. `propagatedToSessions` counts the sessions that had
   * no row and now inherit one; when a listed session gains the tag directly while its listed
   * contact gains it too, an implementation applying the contact first counts it as well, hence a
   * range. Items must not repeat.
   */
  bulkTag(items: readonly BulkItem[], tagId: string): Outcome<BulkTagExpectation> {
    if (hasInvalidEntityType(items)) return invalid();
    if (!this.tags.has(tagId)) return notFound();
    const before = this.sessionSources(tagId);
    const errors: ExpectedItemError[] = [];
    const contactsToTag: string[] = [];
    const sessionsToTag: string[] = [];
    let skipped = 0;
    items.forEach((item, index) => {
      const problem = this.bulkItemProblem(item);
      if (problem !== null) {
        errors.push({ index, entityType: item.entityType, entityId: item.entityId, codes: problem });
        return;
      }
      if (item.entityType === 'contact') {
        if (this.contactSource(item.entityId, tagId) === 'direct') skipped += 1;
        else contactsToTag.push(item.entityId);
      } else if (this.sessionSource(item.entityId, tagId) === 'direct') skipped += 1;
      else sessionsToTag.push(item.entityId);
    });
    const ambiguous = sessionsToTag.filter((s) => {
      const contactId = this.sessions.get(s) ?? null;
      return before.get(s) === null && contactId !== null && contactsToTag.includes(contactId);
    }).length;
    for (const c of contactsToTag) this.contactTags.get(c)?.set(tagId, null);
    for (const s of sessionsToTag) this.sessionDirect.get(s)?.add(tagId);
    const propagated = [...this.sessions.keys()].filter(
      (s) => before.get(s) === null && this.sessionSource(s, tagId) === 'inherited',
    ).length;
    return {
      ok: true,
      status: 200,
      tagged: contactsToTag.length + sessionsToTag.length,
      skipped,
      propagatedToSessions: { min: propagated, max: propagated + ambiguous },
      errors,
    };
  }

  /**
   * POST /api/entity-tags/bulk/untag. A contact with the tag (whatever its source) is untagged;
   * a session with it directly is untagged; a session that only inherits it is a CONFLICT item;
   * anything else is skipped. `removedFromSessions` counts sessions that had an inherited row and
   * now have none; a listed session untagged directly whose listed contact is untagged too may
   * fall back to inherited first and be counted as well, hence a range.
   */
  bulkUntag(items: readonly BulkItem[], tagId: string): Outcome<BulkUntagExpectation> {
    if (hasInvalidEntityType(items)) return invalid();
    if (!this.tags.has(tagId)) return notFound();
    const before = this.sessionSources(tagId);
    const errors: ExpectedItemError[] = [];
    const contactsToUntag: string[] = [];
    const sessionsToUntag: string[] = [];
    const inheritingOnly: { index: number; item: BulkItem; contactId: string }[] = [];
    let skipped = 0;
    items.forEach((item, index) => {
      const problem = this.bulkItemProblem(item);
      if (problem !== null) {
        errors.push({ index, entityType: item.entityType, entityId: item.entityId, codes: problem });
        return;
      }
      if (item.entityType === 'contact') {
        if (this.contactSource(item.entityId, tagId) === null) skipped += 1;
        else contactsToUntag.push(item.entityId);
        return;
      }
      const source = this.sessionSource(item.entityId, tagId);
      if (source === 'direct') sessionsToUntag.push(item.entityId);
      else if (source === 'inherited')
        inheritingOnly.push({ index, item, contactId: this.sessions.get(item.entityId) ?? '' });
      else skipped += 1;
    });
    const conflictOrSkipped: number[] = [];
    for (const { index, item, contactId } of inheritingOnly) {
      if (contactsToUntag.includes(contactId)) conflictOrSkipped.push(index);
      else errors.push({ index, entityType: item.entityType, entityId: item.entityId, codes: ['CONFLICT'] });
    }
    errors.sort((a, b) => a.index - b.index);
    const ambiguous = sessionsToUntag.filter((s) => {
      const contactId = this.sessions.get(s) ?? null;
      return contactId !== null && contactsToUntag.includes(contactId);
    }).length;
    for (const c of contactsToUntag) this.contactTags.get(c)?.delete(tagId);
    for (const s of sessionsToUntag) this.sessionDirect.get(s)?.delete(tagId);
    const removed = [...this.sessions.keys()].filter(
      (s) => before.get(s) === 'inherited' && this.sessionSource(s, tagId) === null,
    ).length;
    return {
      ok: true,
      status: 200,
      untagged: contactsToUntag.length + sessionsToUntag.length,
      skipped,
      removedFromSessions: { min: removed, max: removed + ambiguous },
      errors,
      conflictOrSkipped,
    };
  }

  // ---- the other routes that move tags -----------------------------------------------------

  /** PATCH /api/sessions/{id} {contactId}: relink or unlink; inherited tags follow (derived). */
  relinkSession(sessionId: string, contactId: string | null): Outcome<object> {
    if (!this.sessions.has(sessionId)) return notFound();
    if (contactId !== null && !this.contacts.has(contactId)) return notFound();
    this.sessions.set(sessionId, contactId);
    return { ok: true, status: 200 };
  }

  /** DELETE /api/contacts/{id}: its rows go, its sessions stay unlinked (losing what they inherited). */
  deleteContact(contactId: string): Outcome<object> {
    if (!this.contacts.has(contactId)) return notFound();
    for (const s of this.sessionsOf(contactId)) this.sessions.set(s, null);
    this.contacts.delete(contactId);
    this.contactTags.delete(contactId);
    this.forgetExternalId(this.contactByExternalId, contactId);
    return { ok: true, status: 200 };
  }

  /**
   * DELETE /api/sessions/{id}: its rows go. A contact row that came from it (propagateToContact)
   * is the contact's own from then on and stays.
   */
  deleteSession(sessionId: string): Outcome<object> {
    if (!this.sessions.has(sessionId)) return notFound();
    this.sessions.delete(sessionId);
    this.sessionDirect.delete(sessionId);
    this.forgetExternalId(this.sessionByExternalId, sessionId);
    return { ok: true, status: 200 };
  }

  /** DELETE /api/tags/{id} → {success, removedEntityTags}: every row of the tag goes. */
  deleteTag(tagId: string): Outcome<{ removedEntityTags: number }> {
    if (!this.tags.has(tagId)) return notFound();
    const removedEntityTags = this.rows().filter((row) => row.tagId === tagId).length;
    this.tags.delete(tagId);
    for (const tags of this.contactTags.values()) tags.delete(tagId);
    for (const direct of this.sessionDirect.values()) direct.delete(tagId);
    return { ok: true, status: 200, removedEntityTags };
  }

  // ---- document 001's contact-tag assignment -------------------------------------------------

  /**
   * POST /api/tags/{tagId}/contacts/{contactId}: idempotent. A contact that has the tag (whatever
   * its source) changes nothing; otherwise it gains it directly and `sessionsAffected` counts the
   * sessions that had no row of it and now inherit it.
   */
  assignContactTag(contactId: string, tagId: string): Outcome<{ changed: boolean; sessionsAffected: number }> {
    if (!this.contacts.has(contactId) || !this.tags.has(tagId)) return notFound();
    if (this.contactSource(contactId, tagId) !== null)
      return { ok: true, status: 200, changed: false, sessionsAffected: 0 };
    const before = this.sessionSources(tagId);
    this.contactTags.get(contactId)?.set(tagId, null);
    const sessionsAffected = this.sessionsOf(contactId).filter((s) => before.get(s) === null).length;
    return { ok: true, status: 200, changed: true, sessionsAffected };
  }

  /**
   * DELETE /api/tags/{tagId}/contacts/{contactId}: idempotent. The contact's row goes (whatever
   * its source); `sessionsAffected` counts the sessions that lose what they inherited.
   */
  removeContactTag(contactId: string, tagId: string): Outcome<{ changed: boolean; sessionsAffected: number }> {
    if (!this.contacts.has(contactId) || !this.tags.has(tagId)) return notFound();
    if (this.contactSource(contactId, tagId) === null)
      return { ok: true, status: 200, changed: false, sessionsAffected: 0 };
    const inheriting = this.sessionsOf(contactId).filter((s) => this.sessionSource(s, tagId) === 'inherited');
    this.contactTags.get(contactId)?.delete(tagId);
    return { ok: true, status: 200, changed: true, sessionsAffected: inheriting.length };
  }

  // ---- Zapini conversation tags ----------------------------------------------------------------

  /** GET /api/v1/conversations/{uuid}/tags */
  conversationTags(sessionId: string): Outcome<ConversationTags> {
    if (!this.sessions.has(sessionId)) return notFound();
    const rows = this.sessionRows(sessionId);
    const ids = (source: SourceType) =>
      rows
        .filter((row) => row.sourceType === source)
        .map((row) => row.tagId)
        .sort();
    return { ok: true, status: 200, direct: ids('direct'), inherited: ids('inherited') };
  }

  /**
   * PUT /api/v1/conversations/{uuid}/tags {tag_ids}: direct(S) becomes exactly the listed tags;
   * the contact's tags stay inherited (a removed direct tag the contact has falls back to
   * inherited, a listed tag the session inherits becomes direct). An unknown tag is a 404 and a
   * stale `If-Match` a 412 (issue 15), both changing nothing.
   */
  replaceConversationTags(sessionId: string, tagIds: readonly string[], stale: boolean): Outcome<ConversationTags> {
    if (!this.sessions.has(sessionId)) return notFound();
    if (tagIds.some((tagId) => !this.tags.has(tagId))) return notFound();
    if (stale) return { ok: false, status: 412, code: 'PRECONDITION_FAILED' };
    this.sessionDirect.set(sessionId, new Set(tagIds));
    return this.conversationTags(sessionId);
  }

  // ---- bulk upserts ----------------------------------------------------------------------------

  /** Request positions to apply: a repeated external id is applied at its first occurrence only. */
  private firstOccurrences(items: readonly { externalId?: string }[], errors: UpsertItemError[]): number[] {
    const seen = new Set<string>();
    return items.flatMap((item, index) => {
      if (item.externalId === undefined) return [index];
      if (seen.has(item.externalId)) {
        errors.push({ index, code: 'VALIDATION_ERROR' });
        return [];
      }
      seen.add(item.externalId);
      return [index];
    });
  }

  /**
   * POST /api/contacts/bulk: an item whose external id exists updates that contact (its tags
   * untouched), any other creates one. The test registers the created ids with `addContact`.
   */
  bulkUpsertContacts(items: readonly { externalId?: string }[]): Outcome<BulkUpsertExpectation> {
    const errors: UpsertItemError[] = [];
    const applied = this.firstOccurrences(items, errors).map((index) => {
      const externalId = items[index]?.externalId;
      const existing = externalId === undefined ? null : (this.contactByExternalId.get(externalId) ?? null);
      return { index, existing, externalId, contactId: null };
    });
    const updated = applied.filter((item) => item.existing !== null).length;
    return { ok: true, status: 200, created: applied.length - updated, updated, errors, applied };
  }

  /**
   * POST /api/sessions/bulk: an item whose external id exists updates that session, relinking
   * it when the item names a contact (or `contactId: null`, unlinking it); any other creates a
   * session. An item naming a contact that is not in the workspace is a NOT_FOUND item error and
   * changes nothing. Inherited tags follow every link (derived). The test registers the created
   * sessions with `addSession`.
   */
  bulkUpsertSessions(items: readonly SessionUpsertItem[]): Outcome<BulkUpsertExpectation> {
    const errors: UpsertItemError[] = [];
    const applied: BulkUpsertExpectation['applied'] = [];
    for (const index of this.firstOccurrences(items, errors)) {
      const item = items[index];
      if (item === undefined) continue;
      const existing = item.externalId === undefined ? null : (this.sessionByExternalId.get(item.externalId) ?? null);
      const { link } = item;
      let contactId: string | null;
      if (link.kind === 'keep') contactId = existing === null ? null : this.contactOf(existing);
      else if (link.kind === 'unlink') contactId = null;
      else {
        const named =
          link.kind === 'contactId' ? link.contactId : (this.contactByExternalId.get(link.contactExternalId) ?? '');
        if (!this.contacts.has(named)) {
          errors.push({ index, code: 'NOT_FOUND' });
          continue;
        }
        contactId = named;
      }
      applied.push({ index, existing, externalId: item.externalId, contactId });
    }
    errors.sort((a, b) => a.index - b.index);
    for (const item of applied) if (item.existing !== null) this.sessions.set(item.existing, item.contactId);
    const updated = applied.filter((item) => item.existing !== null).length;
    return { ok: true, status: 200, created: applied.length - updated, updated, errors, applied };
  }
  // ---- tag merge (issue 14) -----------------------------------------------------------------

  /**
   * POST /api/tags/{id}/merge {sourceTagIds}: every row of the sources moves to the target; an
   * entity keeps one row of it, direct if any of its rows was direct, else the target's own
   * row, else (a contact's rows from sessions) the one from the session with the smallest id.
   * `movedEntityTags` counts entities that gain the target, `collapsedEntityTags` the other
   * source rows. Sources must not repeat or include the target.
   */
  mergeTags(
    targetId: string,
    sourceIds: readonly string[],
  ): Outcome<{ movedEntityTags: number; collapsedEntityTags: number }> {
    if (!this.tags.has(targetId) || sourceIds.some((id) => !this.tags.has(id))) return notFound();
    const sources = new Set(sourceIds);
    const before = this.rows();
    const entityKey = (row: TagRow) => `${row.entityType}|${row.entityId}`;
    const sourceRows = before.filter((row) => sources.has(row.tagId));
    const hadTarget = new Set(before.filter((row) => row.tagId === targetId).map(entityKey));
    const movedEntityTags = new Set(sourceRows.map(entityKey).filter((key) => !hadTarget.has(key))).size;
    for (const tags of this.contactTags.values()) {
      const held = [targetId, ...sources].filter((tagId) => tags.has(tagId));
      if (held.length === 0) continue;
      const froms = held.map((tagId) => tags.get(tagId) ?? null);
      const fromSessions = froms.filter((from): from is string => from !== null).sort();
      const from = froms.includes(null)
        ? null
        : tags.has(targetId)
          ? (tags.get(targetId) ?? null)
          : (fromSessions[0] ?? null);
      for (const tagId of sources) tags.delete(tagId);
      tags.set(targetId, from);
    }
    for (const direct of this.sessionDirect.values()) {
      if (![...sources].some((tagId) => direct.has(tagId))) continue;
      for (const tagId of sources) direct.delete(tagId);
      direct.add(targetId);
    }
    for (const tagId of sources) this.tags.delete(tagId);
    return { ok: true, status: 200, movedEntityTags, collapsedEntityTags: sourceRows.length - movedEntityTags };
  }
  // ---- end of tag merge ---------------------------------------------------------------------
}
