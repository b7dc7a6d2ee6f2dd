/** What both clients need to reach the API. */
export type ConnectionOptions = {
  /** Where the API runs, e.g. `http://127.0.0.1:3000` (no `/trpc` or `/api` suffix). */
  baseUrl: string;
  /** The workspace's API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
};

export const trimmedBaseUrl = (options: ConnectionOptions) => options.baseUrl.replace(/\/+$/, '');

export function connectionHeaders(options: ConnectionOptions): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}
