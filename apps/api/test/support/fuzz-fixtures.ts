import { randomUUID } from 'node:crypto';
import { restCall, type TestServer, type TestWorkspace } from '../../testing/test-server.ts';
import type { IdPools } from './fuzz-values.ts';

export type FuzzWorld = {
  own: TestWorkspace;
  other: TestWorkspace;
  pools: IdPools;
  /** Keys a request may carry: mostly the caller's own, sometimes none or a bad one. */
  keys: (string | undefined)[];
};

/** A well-formed id that names nothing. */
const unknownId = (prefix: string) => `${prefix}_${randomUUID()}`;

/**
 * A small world for the fuzzers: the caller's workspace with tags, contacts, sessions (linked,
 * tagged) and an export; another workspace with one of each, whose ids the caller must never
 * reach.
 */
export async function buildFuzzWorld(server: TestServer): Promise<FuzzWorld> {
  const own = await server.newWorkspace('fuzz');
  const other = await server.newWorkspace('fuzz other');
  const make = async (workspace: TestWorkspace, path: string, body: unknown) => {
    const response = await restCall(server, 'POST', path, { body, apiKey: workspace.apiKey });
    if (response.status >= 300) throw new Error(`fixture ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as { id: string }).id;
  };
  const tags = [
    await make(own, '/api/tags', { name: 'VIP', color: 'blue', emoji: '⭐' }),
    await make(own, '/api/tags', { name: 'Lead', type: 'client' }),
    await make(own, '/api/tags', { name: 'Spam' }),
  ];
  const contacts = [
    await make(own, '/api/contacts', { name: 'Ada', externalId: 'crm-1' }),
    await make(own, '/api/contacts', { name: 'Bob' }),
  ];
  const sessions = [
    await make(own, '/api/sessions', { name: 'Chat 1', contactId: contacts[0] }),
    await make(own, '/api/sessions', { name: 'Chat 2', contactId: contacts[0] }),
    await make(own, '/api/sessions', { name: 'Loose' }),
  ];
  const tagContact = `/api/entity-tags/contacts/${contacts[0]}/tags?workspaceId=${own.id}`;
  await make(own, tagContact, { tagId: tags[0] });
  await make(own, `/api/entity-tags/sessions/${sessions[2]}/tags?workspaceId=${own.id}`, { tagId: tags[1] });
  const exportId = await make(own, '/api/exports', { format: 'jsonl' });

  const otherTag = await make(other, '/api/tags', { name: 'Theirs' });
  const otherContact = await make(other, '/api/contacts', { name: 'Theirs' });
  const otherSession = await make(other, '/api/sessions', { name: 'Theirs', contactId: otherContact });
  const otherExport = await make(other, '/api/exports', {});

  return {
    own,
    other,
    pools: {
      workspaceIds: [own.id, own.id, own.id, other.id],
      tag: [...tags, ...tags, otherTag, unknownId('wtag'), contacts[1] ?? '', 'wtag_not-a-uuid'],
      contact: [...contacts, ...contacts, otherContact, unknownId('contact'), sessions[0] ?? ''],
      session: [...sessions, ...sessions, otherSession, unknownId('wses'), tags[0] ?? ''],
      export: [exportId, exportId, otherExport, unknownId('exp'), 'exp_x'],
    },
    keys: [
      own.apiKey,
      own.apiKey,
      own.apiKey,
      own.apiKey,
      own.apiKey,
      own.apiKey,
      own.apiKey,
      other.apiKey,
      undefined,
      'tgk_not-a-real-key-at-all',
    ],
  };
}
