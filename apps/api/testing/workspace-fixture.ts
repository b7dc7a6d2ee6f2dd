import type { Contact, CreateContactInput, CreateSessionInput, CreateTagInput, Session, Tag } from '@tagging/contracts';
import {
  createTaggingClient,
  createTaggingRestClient,
  type TaggingClient,
  type TaggingRestClient,
} from '@tagging/client';
import { restCall, type RestResponse, type TestServer } from './test-server.ts';

/** What the typed clients cannot send on purpose: malformed JSON, unknown fields, wrong types. */
export type RawRequestOptions = { body?: unknown; rawBody?: string; headers?: Record<string, string> };

/** A tagged pair: a contact with a direct tag and one session of it, which inherits the tag. */
export type TaggedPair = { tag: Tag; contact: Contact; session: Session };

/**
 * One workspace of a test server, seen through the project's own SDK: the tRPC and REST clients
 * carry its API key, and the builders create records with it (over tRPC) so a test states only
 * what matters to it. Every builder fails the test when the API refuses.
 */
export type WorkspaceFixture = {
  id: number;
  apiKey: string;
  trpc: TaggingClient;
  rest: TaggingRestClient;
  /** The parameters of an Entity Tags route: its path ids and this workspace in the query string. */
  scoped: <P extends Record<string, string>>(path: P) => { params: { path: P; query: { workspaceId: number } } };
  /** A JSON request with this workspace's key, for the raw HTTP details (malformed bodies, headers). */
  raw: (method: string, path: string, options?: RawRequestOptions) => Promise<RestResponse>;
  /** A tag named `Tag <n>` (unique in the workspace) unless the overrides name it. */
  tag: (overrides?: Partial<CreateTagInput>) => Promise<Tag>;
  contact: (overrides?: CreateContactInput) => Promise<Contact>;
  /** A session linked to the contact (`null`: unlinked). */
  sessionOf: (contact: { id: string } | null, overrides?: Omit<CreateSessionInput, 'contactId'>) => Promise<Session>;
  /** Tags the contact directly (its sessions inherit); the tag is new unless given. */
  tagContact: (contact: { id: string }, tag?: { id: string }) => Promise<void>;
  /** Tags the session directly; the tag is new unless given. */
  tagSession: (session: { id: string }, tag?: { id: string }) => Promise<void>;
  /** A new contact tagged directly with the tag (new unless given) and one session inheriting it. */
  taggedPair: (options?: { tag?: Tag; contact?: CreateContactInput }) => Promise<TaggedPair>;
};

/** A new workspace of the server with its key, its clients and its builders. */
export async function fixture(server: TestServer, name = 'Test workspace'): Promise<WorkspaceFixture> {
  const { id, apiKey } = await server.newWorkspace(name);
  const trpc = createTaggingClient({ baseUrl: server.url, apiKey });
  const rest = createTaggingRestClient({ baseUrl: server.url, apiKey });
  let tagNumber = 0;
  const tag = (overrides: Partial<CreateTagInput> = {}) =>
    trpc.tags.create.mutate({ name: `Tag ${++tagNumber}`, ...overrides });
  const tagContact = async (contact: { id: string }, applied?: { id: string }) => {
    const tagId = (applied ?? (await tag())).id;
    await trpc.entityTags.tagContact.mutate({ workspaceId: id, contactId: contact.id, tagId });
  };
  const tagSession = async (session: { id: string }, applied?: { id: string }) => {
    const tagId = (applied ?? (await tag())).id;
    await trpc.entityTags.tagSession.mutate({ workspaceId: id, sessionId: session.id, tagId });
  };
  const contact = (overrides: CreateContactInput = {}) => trpc.contacts.create.mutate(overrides);
  const sessionOf = (linked: { id: string } | null, overrides: Omit<CreateSessionInput, 'contactId'> = {}) =>
    trpc.sessions.create.mutate({ ...overrides, contactId: linked?.id ?? null });
  return {
    id,
    apiKey,
    trpc,
    rest,
    scoped: (path) => ({ params: { path, query: { workspaceId: id } } }),
    raw: (method, path, options = {}) => restCall(server, method, path, { ...options, apiKey }),
    tag,
    contact,
    sessionOf,
    tagContact,
    tagSession,
    taggedPair: async (options = {}) => {
      const applied = options.tag ?? (await tag());
      const owner = await contact(options.contact);
      const session = await sessionOf(owner);
      await tagContact(owner, applied);
      return { tag: applied, contact: owner, session };
    },
  };
}
