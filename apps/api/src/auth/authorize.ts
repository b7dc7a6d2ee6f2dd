import type { Caller } from '@tagging/domain';

export type Refusal = { code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

/**
 * The one authorization rule of every surface: a valid API key is required, and a `workspaceId`
 * the request names (query string, body, GraphQL input) must be the key's workspace. Other
 * workspaces' resources are not refused here: the domain does not find them (404).
 */
export function refusalFor(caller: Caller | null, namedWorkspaceId: unknown): Refusal | null {
  if (caller === null)
    return { code: 'UNAUTHORIZED', message: 'a valid API key is required (Authorization: Bearer <key>)' };
  if (namedWorkspaceId !== undefined && String(namedWorkspaceId) !== String(caller.workspaceId)) {
    // Only a workspace id is repeated back, never whatever else was sent (`[object Object]`).
    const named = /^\d{1,10}$/.test(String(namedWorkspaceId))
      ? `workspace ${String(namedWorkspaceId)}`
      : 'that workspace';
    return { code: 'FORBIDDEN', message: `this API key does not give access to ${named}` };
  }
  return null;
}
