import type { ContactExportView, DeferredPropagation } from '@tagging/contracts';
import type { ContactExport, QueuedPropagation } from '@tagging/domain';

/** The REST route that reports a background propagation (`GET /api/entity-tags/jobs/{jobId}`). */
const propagationJobUrl = (workspaceId: number, jobId: string) =>
  `/api/entity-tags/jobs/${jobId}?workspaceId=${workspaceId}`;

/** The REST route that streams a finished export (`GET /api/exports/{id}/download`). */
const exportDownloadUrl = (id: string) => `/api/exports/${id}/download`;

/**
 * A result whose propagation went to the background (`deferred`), with the URL of the job's
 * status route, as the Entity Tags document shows it.
 */
export async function withJobLink<T extends { deferred?: QueuedPropagation }>(
  workspaceId: number,
  result: Promise<T>,
): Promise<Omit<T, 'deferred'> & { deferred?: DeferredPropagation }> {
  const { deferred, ...rest } = await result;
  return {
    ...rest,
    ...(deferred ? { deferred: { ...deferred, statusUrl: propagationJobUrl(workspaceId, deferred.jobId) } } : {}),
  };
}

/** An export with the URL of its download. */
export async function withDownloadLink(view: Promise<ContactExport>): Promise<ContactExportView> {
  const found = await view;
  return { ...found, downloadUrl: exportDownloadUrl(found.id) };
}
