import http from 'node:http';
import { percentile } from './db.ts';
import type { NextRequest } from './load.ts';

export type OpenLoopResult = {
  rate: number;
  sent: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
};

/**
 * Open-loop load at an even pace: request i is due at `start + i / rate` seconds and is sent then
 * whatever happened to the ones before (no waiting for answers, unlike autocannon's connections,
 * and no one-second bursts, unlike its `overallRate`). Latency counts from the due time, so a
 * server that falls behind shows it in the tail instead of slowing the generator down.
 */
export async function openLoop(options: {
  baseUrl: string;
  headers: Record<string, string>;
  rate: number;
  seconds: number;
  next: () => NextRequest;
}): Promise<OpenLoopResult> {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const send = (due: number, next: NextRequest) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: next.method,
          path: next.path,
          headers: {
            ...options.headers,
            ...(next.body === undefined ? {} : { 'content-length': Buffer.byteLength(next.body) }),
          },
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode !== undefined && res.statusCode < 300) ok++;
            else failed++;
            resolve();
          });
        },
      );
      req.once('error', () => {
        failed++;
        resolve();
      });
      req.end(next.body);
    });
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due, options.next()));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rate: options.rate,
    sent: total,
    ok,
    failed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}
