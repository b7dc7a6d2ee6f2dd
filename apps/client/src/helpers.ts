import {
  maxBulkEntities,
  type BulkTagInput,
  type BulkTagResult,
  type ContactExportView,
  type PropagationJob,
} from '@tagging/contracts';
import type { TaggingClient } from './trpc-client.ts';

/**
 * Every item of a paginated list, page after page: `fetchPage(cursor)` returns one page and its
 * `nextCursor`; `items` picks the records out of it.
 */
export async function* eachItem<TPage extends { nextCursor: string | null }, TItem>(
  fetchPage: (cursor: string | undefined) => Promise<TPage>,
  items: (page: TPage) => TItem[],
): AsyncGenerator<TItem> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* items(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export type BulkProgress = { done: number; total: number };

/**
 * Tags any number of entities: sends chunks of the server's maximum one after the other and adds
 * the results up (error indexes refer to the whole list).
 */
export async function bulkTagAll(
  client: TaggingClient,
  input: BulkTagInput,
  options: { chunkSize?: number; onProgress?: (progress: BulkProgress) => void } = {},
): Promise<BulkTagResult> {
  const chunkSize = Math.min(options.chunkSize ?? maxBulkEntities, maxBulkEntities);
  const total: BulkTagResult = { success: false, tagged: 0, skipped: 0, propagatedToSessions: 0, errors: [] };
  for (let start = 0; start < input.entities.length; start += chunkSize) {
    const result = await client.entityTags.bulkTag.mutate({
      ...input,
      entities: input.entities.slice(start, start + chunkSize),
    });
    total.success ||= result.success; // false only when no entity of any chunk was applied
    total.tagged += result.tagged;
    total.skipped += result.skipped;
    total.propagatedToSessions += result.propagatedToSessions;
    total.errors.push(...result.errors.map((error) => ({ ...error, index: error.index + start })));
    options.onProgress?.({ done: Math.min(start + chunkSize, input.entities.length), total: input.entities.length });
  }
  return total;
}

export type WaitOptions<T> = { intervalMs?: number; timeoutMs?: number; onProgress?: (state: T) => void };

async function waitUntil<T>(
  read: () => Promise<T>,
  finished: (state: T) => boolean,
  options: WaitOptions<T>,
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const state = await read();
    options.onProgress?.(state);
    if (finished(state)) return state;
    if (Date.now() > deadline) throw new Error('timed out waiting for the job to finish');
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}

/** Waits for a propagation that went to the background (`deferred.jobId` of a tag response). */
export const waitForPropagation = (
  client: TaggingClient,
  job: { workspaceId: number; jobId: string },
  options: WaitOptions<PropagationJob> = {},
) =>
  waitUntil(
    () => client.entityTags.propagationJob.query(job),
    (state) => state.status === 'done' || state.status === 'failed',
    options,
  );

/** Waits for an export to be built; then download `downloadUrl`. */
export const waitForExport = (client: TaggingClient, id: string, options: WaitOptions<ContactExportView> = {}) =>
  waitUntil(
    () => client.exports.get.query({ id }),
    (state) => state.status === 'done' || state.status === 'failed',
    options,
  );
