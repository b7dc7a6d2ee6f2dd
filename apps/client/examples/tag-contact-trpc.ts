// Tag a contact and read the tag its session inherits, over tRPC. BASE_URL and API_KEY from the environment.
import { createTaggingClient } from '@tagging/client';

const client = createTaggingClient({
  baseUrl: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
  apiKey: process.env.API_KEY,
});
const tag = await client.tags.create.mutate({ name: `VIP ${Date.now()}` });
const contact = await client.contacts.create.mutate({ name: 'Ada' });
const session = await client.sessions.create.mutate({ name: 'Chat', contactId: contact.id });
const { workspaceId } = contact;
await client.entityTags.tagContact.mutate({ workspaceId, contactId: contact.id, tagId: tag.id });
const { tags } = await client.entityTags.sessionTags.query({ workspaceId, sessionId: session.id });
for (const applied of tags) console.log(`${applied.tag.name}: ${applied.sourceType} from ${applied.sourceEntityId}`);
