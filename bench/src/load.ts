import autocannon from 'autocannon';

export type NextRequest = { method: 'POST' | 'DELETE' | 'GET'; path: string; body?: string };

export type LoadResult = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
};

/**
 * HTTP load with autocannon from this process (the server runs in its own process):
 * `connections` keep-alive connections, each sending the request `next()` returns, for `seconds`.
 */
export async function load(options: {
  baseUrl: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  next: () => NextRequest;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: [
      {
        setupRequest: (request) => {
          const next = options.next();
          return {
            ...request,
            method: next.method,
            path: next.path,
            ...(next.body === undefined ? {} : { body: next.body }),
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
