import { scopeIncludes, WorkspaceId, type ApiKeyScope } from '@tagging/contracts';
import type { Caller } from '@tagging/domain';

export type Refusal = { code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

/**
 * The one authorization rule of every surface: a valid API key is required, and a `workspaceId`
 * the request names (query string, body, GraphQL input) must be the key's workspace. Other
 * workspaces' resources are not refused here: the domain does not find them (404). A `workspaceId`
 * that is not a workspace id at all (`abc`, `1.5`) is not refused either: the input schema
 * answers it with 400 and the issue's path, one answer for one mistake (issue 15).
 */
export function refusalFor(caller: Caller | null, namedWorkspaceId: unknown): Refusal | null {
  if (caller === null)
    return { code: 'UNAUTHORIZED', message: 'a valid API key is required (Authorization: Bearer <key>)' };
  const named = WorkspaceId.safeParse(namedWorkspaceId);
  if (named.success && named.data !== caller.workspaceId)
    return { code: 'FORBIDDEN', message: `this API key does not give access to workspace ${named.data}` };
  return null;
}

/**
 * The scope rule (issue 19): reading needs `read`, every mutation of every surface (REST's
 * POST/PUT/PATCH/DELETE, Zapini's, GraphQL mutations, tRPC mutations) needs `write`, and managing
 * API keys needs `admin`; each scope includes the ones before it. Refused with 403.
 */
export function scopeRefusal(caller: Caller, needed: ApiKeyScope): Refusal | null {
  if (scopeIncludes(caller.scope, needed)) return null;
  return {
    code: 'FORBIDDEN',
    message:
      needed === 'admin'
        ? `this API key (scope ${caller.scope}) cannot manage API keys: that needs an admin key`
        : `this API key (scope ${caller.scope}) can only read: changes need a write or admin key`,
  };
}
