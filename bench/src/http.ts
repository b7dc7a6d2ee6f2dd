export type Api = {
  baseUrl: string;
  headers: Record<string, string>;
  call: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
};

export function api(baseUrl: string, apiKey: string): Api {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  return {
    baseUrl,
    headers,
    call: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? { authorization: headers.authorization } : headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const parsed = (text.length > 0 && text.startsWith('{') ? JSON.parse(text) : text) as T;
      return { status: response.status, body: parsed };
    },
  };
}

/** Fails loudly when a call that must succeed did not. */
export function expectStatus(what: string, status: number, expected: readonly number[], body: unknown): void {
  if (!expected.includes(status))
    throw new Error(`${what}: HTTP ${status} (expected ${expected.join('/')}): ${JSON.stringify(body).slice(0, 500)}`);
}
