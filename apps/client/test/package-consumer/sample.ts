// A consumer of the packed SDK, outside the repository: typechecked with `tsc --strict --module
// nodenext` (no other flag) and run on Node 20 by test/package.test.ts. Not part of the
// workspace's own typecheck (it imports the installed package, which only exists there).
import {
  createTaggingClient,
  createTaggingRestClient,
  subscribeToEvents,
  TaggingApiError,
  unwrap,
  type TaggingClient,
} from '@tagging/client';

const baseUrl = process.env['BASE_URL'] ?? 'http://127.0.0.1:3000';
const apiKey = process.env['API_KEY'];
const client: TaggingClient = createTaggingClient({ baseUrl, apiKey });
const rest = createTaggingRestClient({ baseUrl, apiKey });

const tag = await client.tags.create.mutate({ name: `VIP ${Date.now()}`, color: 'blue' });
const contact = await unwrap(rest.POST('/contacts', { body: { name: 'Ada' } }));
const session = await client.sessions.create.mutate({ name: 'Chat', contactId: contact.id });
const { workspaceId } = contact;
await client.entityTags.tagContact.mutate({ workspaceId, contactId: contact.id, tagId: tag.id });
const { tags } = await unwrap(
  rest.GET('/entity-tags/sessions/{sessionId}/tags', {
    params: { path: { sessionId: session.id }, query: { workspaceId } },
  }),
);
const inherited: string[] = tags.map((applied) => `${applied.tag.name}: ${applied.sourceType}`);

// The types are the API's, not `any`: each of these must be a type error.
// @ts-expect-error -- `name` is required
await client.tags.create.mutate({ color: 'blue' }).catch(() => undefined);
// @ts-expect-error -- no such procedure
const missing = client.tags.nothing;
// @ts-expect-error -- a tag's name is a string
const notANumber: number = tag.name;

let code: string;
try {
  await client.tags.get.query({ id: 'wtag_does-not-exist' });
  code = 'none';
} catch (error) {
  const apiError = TaggingApiError.from(error);
  code = `${apiError.code} ${apiError.status}`;
}
// A live subscription (server-sent events through the `eventsource` package) from the feed's start.
const firstEvent = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no event within 15 s')), 15_000);
  const subscription = subscribeToEvents({
    baseUrl,
    apiKey,
    after: 0,
    onEvent: (event) => {
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(event.type);
    },
    onError: reject,
  });
});
console.log(JSON.stringify({ inherited, code, notANumber: typeof notANumber, missing: typeof missing, firstEvent }));
