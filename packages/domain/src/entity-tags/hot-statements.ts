import { numberedPlaceholders } from '../db/prepared-statements.ts';
import { lockContactsSql, lockTagsSql } from './entity-locks.ts';
import { appliedTagsSql } from './entity-tag-reads.ts';
import { makeDirectPairsSql, makeSessionTagDirectSql, propagateFromContactsSql } from './entity-tag-store.ts';
import { countSessionsUpToSql } from './propagation.ts';
import { recordEventsSql } from '../events/event-outbox.ts';

/**
 * The hot routes' statements exactly as the service prepares them (`$n` placeholders), so that
 * the benchmark's raw and floor contenders run the same SQL (bench/src/floor-server.ts). Each
 * names its parameters in its doc comment where it is defined.
 */
export const hotStatements = {
  /** Tag a session: the one statement of `makeSessionTagDirect`. */
  tagSession: numberedPlaceholders(makeSessionTagDirectSql),
  /** Read a session's tags: existence and the rows, one statement. */
  sessionTags: numberedPlaceholders(appliedTagsSql.session),
  /** Tag a contact: lock the contact and the tag, make direct, count and propagate to its sessions… */
  lockContacts: numberedPlaceholders(lockContactsSql),
  lockTags: numberedPlaceholders(lockTagsSql),
  makeDirect: numberedPlaceholders(makeDirectPairsSql),
  countSessionsUpTo: numberedPlaceholders(countSessionsUpToSql),
  propagateFromContacts: numberedPlaceholders(propagateFromContactsSql),
  /** …and write its `contact.tagged` event (the outbox, issue 17). */
  recordEvents: numberedPlaceholders(recordEventsSql),
} as const;
