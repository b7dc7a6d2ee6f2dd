import { restCall, type RestResponse, type TestServer, type TestWorkspace } from '../../testing/test-server.ts';

/**
 * One workspace's calls in each dialect, over the real HTTP server: `/api` REST, Zapini
 * (`/api/v1`), tRPC (`/trpc`, as its HTTP link sends them) and bcrumbs GraphQL (`/core/gq`, with
 * the bare `authorization` header document 003 shows), plus small builders of records.
 */
export type DialectCalls = ReturnType<typeof dialectCalls>;

export type TrpcResponse = {
  status: number;
  data: unknown;
  error?: { message: string; data?: { errorCode?: string; httpStatus?: number; issues?: unknown[] } };
};

export type GraphQLResponse = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

export function dialectCalls(server: TestServer, ws: TestWorkspace) {
  const rest = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    restCall(server, method, path, { body, apiKey: ws.apiKey, headers });
  const zapini = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    restCall(server, method, `/api/v1${path}`, {
      body,
      apiKey: ws.apiKey,
      headers: { accept: 'application/json', ...headers },
    });
  const trpc = async (type: 'query' | 'mutation', path: string, input: unknown): Promise<TrpcResponse> => {
    const response: RestResponse =
      type === 'query'
        ? await restCall(server, 'GET', `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
            apiKey: ws.apiKey,
          })
        : await restCall(server, 'POST', `/trpc/${path}`, { apiKey: ws.apiKey, body: input });
    const body = response.body as { result?: { data: unknown }; error?: TrpcResponse['error'] };
    return { status: response.status, data: body.result?.data, ...(body.error ? { error: body.error } : {}) };
  };
  const graphql = async (body: unknown): Promise<{ status: number; body: GraphQLResponse }> => {
    const response = await restCall(server, 'POST', '/core/gq', {
      body,
      headers: { authorization: ws.apiKey, 'content-type': 'application/json' },
    });
    return { status: response.status, body: response.body as GraphQLResponse };
  };
  const idOf = (response: RestResponse): string => {
    if (response.status >= 300)
      throw new Error(`expected a record, got ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as { id: string }).id;
  };
  let tags = 0;
  return {
    ws,
    rest,
    zapini,
    trpc,
    graphql,
    /** A tag of `/api/tags` (a unique name unless one is given). */
    newTag: async (fields: Record<string, unknown> = {}) =>
      idOf(
        await rest('POST', '/api/tags', { name: `Tag ${++tags} ${Math.random().toString(36).slice(2, 8)}`, ...fields }),
      ),
    newContact: async (name = 'Contact') => idOf(await rest('POST', '/api/contacts', { name })),
    newSession: async (contactId?: string) => idOf(await rest('POST', '/api/sessions', contactId ? { contactId } : {})),
  };
}

/** The UUID behind a prefixed id. */
export const uuidOf = (id: string): string => id.slice(id.indexOf('_') + 1);

/** Every form a client may send an id in (issue 14): prefixed, bare, and both in upper case. */
export const idForms = (id: string): Record<string, string> => ({
  prefixed: id,
  bare: uuidOf(id),
  'bare upper case': uuidOf(id).toUpperCase(),
  'prefixed upper case': id.toUpperCase(),
});
