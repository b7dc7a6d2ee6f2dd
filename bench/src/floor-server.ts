import { createHash } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';
import { hotStatements } from '@tagging/domain';
import { tagContactOnClient } from './floor-contact-tagging.ts';

/**
 * The floor contender: the least a Node server can do for the same routes. Fastify 5 + `pg`,
 * the same route shapes (path, query `workspaceId`, JSON body), the same cached API key check
 * (sha256 of the bearer secret, looked up once, then remembered), the service's own statements
 * (`hotStatements`) as named prepared statements on a pool of the service's size, and the same
 * response bodies and statuses. No validation beyond what the statements need, no log line, no
 * metrics: what is left is HTTP, JSON and PostgreSQL.
 *
 * Run as its own process: `node bench/src/floor-server.ts` with DATABASE_URL, PORT, POOL_SIZE.
 */
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? '10'),
  // Connections stay open between samples, as the service's pool keeps them.
  idleTimeoutMillis: 0,
});
const app = Fastify({ logger: false });

type Caller = { workspaceId: number; keyId: string };
const callers = new Map<string, Caller>();
async function callerOf(req: FastifyRequest, reply: FastifyReply): Promise<Caller | null> {
  const secret = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const query = req.query as { workspaceId?: string };
  if (!secret) {
    void reply.code(401).send({ code: 'UNAUTHORIZED', message: 'missing API key' });
    return null;
  }
  const hash = createHash('sha256').update(secret, 'utf8').digest('hex');
  let caller = callers.get(hash);
  if (caller === undefined) {
    const { rows } = await pool.query<{ workspace_id: number; id: string }>({
      name: 'floor_key',
      text: 'select workspace_id, id, secret_hash from api_key where secret_hash = $1 and revoked_at is null',
      values: [hash],
    });
    const row = rows[0];
    if (row === undefined) {
      void reply.code(401).send({ code: 'UNAUTHORIZED', message: 'unknown API key' });
      return null;
    }
    caller = { workspaceId: row.workspace_id, keyId: row.id };
    callers.set(hash, caller);
  }
  if (String(caller.workspaceId) !== query.workspaceId) {
    void reply.code(403).send({ code: 'FORBIDDEN', message: 'another workspace' });
    return null;
  }
  return caller;
}

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
const entityTag = (row: Row) => ({
  id: row.id,
  entityType: row.entity_type,
  entityId: row.entity_id,
  tagId: row.tag_id,
  sourceType: row.source_type,
  sourceEntityType: row.source_entity_type,
  sourceEntityId: row.source_entity_id,
  appliedByKeyId: row.applied_by_key_id,
  createdAt: iso(row.created_at),
});

app.post('/api/entity-tags/sessions/:sessionId/tags', async (req, reply) => {
  const caller = await callerOf(req, reply);
  if (caller === null) return reply;
  const { workspaceId, keyId } = caller;
  const { sessionId } = req.params as { sessionId: string };
  const { tagId } = req.body as { tagId: string };
  const { rows } = await pool.query<Row>({
    name: 'tag_session',
    text: hotStatements.tagSession,
    values: [workspaceId, sessionId, workspaceId, tagId, keyId],
  });
  const row = rows[0];
  if (!row?.session_found) return reply.code(404).send({ code: 'NOT_FOUND', message: 'session not found' });
  if (!row.tag_found) return reply.code(404).send({ code: 'NOT_FOUND', message: 'tag not found' });
  if (!row.id) return reply.code(409).send({ code: 'CONFLICT', message: 'already applied' });
  return reply.code(201).send({ success: true, sessionTag: entityTag(row), propagatedToContact: false });
});

app.get('/api/entity-tags/sessions/:sessionId/tags', async (req, reply) => {
  const caller = await callerOf(req, reply);
  if (caller === null) return reply;
  const { workspaceId } = caller;
  const { sessionId } = req.params as { sessionId: string };
  const { rows } = await pool.query<Row & { found: boolean }>({
    name: 'session_tags',
    text: hotStatements.sessionTags,
    values: [workspaceId, sessionId, workspaceId, 'session', sessionId],
  });
  if (!rows[0]?.found) return reply.code(404).send({ code: 'NOT_FOUND', message: 'session not found' });
  return {
    tags: rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: row.id,
        tag: { id: row.tag_id, name: row.name, color: row.color, emoji: row.emoji },
        sourceType: row.source_type,
        ...(row.source_entity_type ? { sourceEntityType: row.source_entity_type } : {}),
        ...(row.source_entity_id ? { sourceEntityId: row.source_entity_id } : {}),
        appliedByKeyId: row.applied_by_key_id,
        createdAt: iso(row.created_at),
      })),
  };
});

app.post('/api/entity-tags/contacts/:contactId/tags', async (req, reply) => {
  const caller = await callerOf(req, reply);
  if (caller === null) return reply;
  const { workspaceId, keyId } = caller;
  const { contactId } = req.params as { contactId: string };
  const { tagId } = req.body as { tagId: string };
  const client = await pool.connect();
  try {
    const tagging = await tagContactOnClient(client, workspaceId, keyId, contactId, tagId);
    switch (tagging.outcome) {
      case 'contact not found':
      case 'tag not found':
        return reply.code(404).send({ code: 'NOT_FOUND', message: tagging.outcome });
      case 'already applied':
        return reply.code(409).send({ code: 'CONFLICT', message: tagging.outcome });
      case 'tagged':
        return reply.code(201).send({
          success: true,
          contactTag: entityTag(tagging.row),
          propagatedToSessions: tagging.propagatedToSessions,
        });
    }
  } finally {
    client.release();
  }
});

app.get('/healthz', async () => ({ ok: true }));
app.get('/readyz', async () => ({ ok: true }));

await app.listen({ port: Number(process.env.PORT ?? '3901'), host: '127.0.0.1' });
const stop = () =>
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
