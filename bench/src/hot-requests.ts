import type { NextRequest } from './load.ts';

/** How a hot route is called: REST (the service or the floor, same paths) or tRPC. */
export type CallShape = 'rest' | 'trpc' | 'floor';

/** Tag a session: `POST /api/entity-tags/sessions/{id}/tags` or tRPC `entityTags.tagSession`. */
export const tagSessionRequest = (
  shape: CallShape,
  workspaceId: number,
  sessionId: string,
  tagId: string,
): NextRequest =>
  shape === 'trpc'
    ? {
        method: 'POST',
        path: '/trpc/entityTags.tagSession',
        body: JSON.stringify({ workspaceId, sessionId, tagId }),
      }
    : {
        method: 'POST',
        path: `/api/entity-tags/sessions/${sessionId}/tags?workspaceId=${workspaceId}`,
        body: JSON.stringify({ tagId }),
      };

/** Read a session's tags: `GET /api/entity-tags/sessions/{id}/tags` or tRPC `entityTags.sessionTags`. */
export const sessionTagsRequest = (shape: CallShape, workspaceId: number, sessionId: string): NextRequest =>
  shape === 'trpc'
    ? {
        method: 'GET',
        path: `/trpc/entityTags.sessionTags?input=${encodeURIComponent(JSON.stringify({ workspaceId, sessionId }))}`,
      }
    : { method: 'GET', path: `/api/entity-tags/sessions/${sessionId}/tags?workspaceId=${workspaceId}` };

/** Tag a contact: `POST /api/entity-tags/contacts/{id}/tags` or tRPC `entityTags.tagContact`. */
export const tagContactRequest = (
  shape: CallShape,
  workspaceId: number,
  contactId: string,
  tagId: string,
): NextRequest =>
  shape === 'trpc'
    ? {
        method: 'POST',
        path: '/trpc/entityTags.tagContact',
        body: JSON.stringify({ workspaceId, contactId, tagId }),
      }
    : {
        method: 'POST',
        path: `/api/entity-tags/contacts/${contactId}/tags?workspaceId=${workspaceId}`,
        body: JSON.stringify({ tagId }),
      };
