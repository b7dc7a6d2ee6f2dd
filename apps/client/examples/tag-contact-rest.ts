// Tag a contact and read the tag its session inherits, over REST. BASE_URL and API_KEY from the environment.
import { createTaggingRestClient, unwrap } from '@tagging/client';

const rest = createTaggingRestClient({
  baseUrl: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
  apiKey: process.env.API_KEY,
});
const tag = await unwrap(rest.POST('/tags', { body: { name: `VIP ${Date.now()}` } }));
const contact = await unwrap(rest.POST('/contacts', { body: { name: 'Ada' } }));
const session = await unwrap(rest.POST('/sessions', { body: { name: 'Chat', contactId: contact.id } }));
const { workspaceId } = contact;
await unwrap(
  rest.POST('/entity-tags/contacts/{contactId}/tags', {
    params: { path: { contactId: contact.id }, query: { workspaceId } },
    body: { tagId: tag.id },
  }),
);
const { tags } = await unwrap(
  rest.GET('/entity-tags/sessions/{sessionId}/tags', {
    params: { path: { sessionId: session.id }, query: { workspaceId } },
  }),
);
for (const applied of tags) console.log(`${applied.tag.name}: ${applied.sourceType} from ${applied.sourceEntityId}`);
