// The helpers: import contacts, tag all of them in chunks, then list them page by page and
// export them, waiting for the export with progress. BASE_URL and API_KEY from the environment.
import { bulkTagAll, createTaggingClient, eachItem, TaggingApiError, waitForExport } from '@tagging/client';

const client = createTaggingClient({
  baseUrl: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
  apiKey: process.env.API_KEY,
});

try {
  const tag = await client.tags.create.mutate({ name: `Imported ${Date.now()}` });
  const run = Date.now();
  const { ids } = await client.contacts.bulkUpsert.mutate({
    contacts: Array.from({ length: 250 }, (_, i) => ({ externalId: `crm-${run}-${i}`, name: `Contact ${i}` })),
  });
  const entities = ids.flatMap((id) => (id ? [{ entityType: 'contact' as const, entityId: id }] : []));
  const result = await bulkTagAll(
    client,
    { workspaceId: tag.workspaceId, tagId: tag.id, entities },
    { chunkSize: 100, onProgress: ({ done, total }) => console.log(`tagged ${done}/${total}`) },
  );
  console.log(`tagged ${result.tagged}, skipped ${result.skipped}, errors ${result.errors.length}`);

  let listed = 0;
  const pages = (cursor: string | undefined) =>
    client.contacts.list.query({ tag_ids: tag.id, limit: 100, ...(cursor ? { cursor } : {}) });
  for await (const _contact of eachItem(pages, (page) => page.contacts)) listed++;
  console.log(`listed ${listed} tagged contacts`);

  const started = await client.exports.create.mutate({ format: 'csv', tagIds: [tag.id] });
  const done = await waitForExport(client, started.id, {
    intervalMs: 100,
    onProgress: (state) => console.log(`export ${state.status}: ${state.rowsWritten} rows`),
  });
  console.log(`export ${done.status} with ${done.totalRows} rows at ${done.downloadUrl}`);
} catch (error) {
  // Whatever failed, one error class with the documented code and status.
  const apiError = TaggingApiError.from(error);
  console.error(`failed: ${apiError.code} (${apiError.status}) ${apiError.message}`);
  process.exitCode = 1;
}
