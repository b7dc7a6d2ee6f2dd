import { once } from 'node:events';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC } from '@trpc/server';
import Fastify from 'fastify';
import { fastifyTRPCOpenApiPlugin, type CreateOpenApiFastifyPluginOptions, type OpenApiMeta } from 'trpc-to-openapi';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Our patch of trpc-to-openapi 3.3 (patches/trpc-to-openapi@3.3.0.patch, see docs/PERFORMANCE.md):
 * the signal a procedure gets on the Fastify path stays quiet when the response is written (the
 * unpatched adapter read `writableEnded` on the Fastify reply, found nothing, and aborted every
 * finished request) and still aborts when the client goes away first. Coercion of query inputs
 * still applies after the first call (it is now set on the schema once).
 */
const t = initTRPC.meta<OpenApiMeta>().create();
const signals: AbortSignal[] = [];
let release: () => void = () => undefined;
const router = t.router({
  quick: t.procedure
    .meta({ openapi: { method: 'GET', path: '/quick' } })
    .input(z.object({ n: z.number() }))
    .output(z.object({ n: z.number() }))
    .query(({ input }) => ({ n: input.n })),
  slow: t.procedure
    .meta({ openapi: { method: 'POST', path: '/slow' } })
    .input(z.object({}))
    .output(z.object({ ok: z.boolean() }))
    .mutation(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { ok: true };
    }),
});

const app = Fastify();
let port = 0;
beforeAll(async () => {
  // The adapter hands the signal to createContext (as `info.signal`), as tRPC's own adapters do.
  const options: CreateOpenApiFastifyPluginOptions<typeof router> = {
    basePath: '/api',
    router,
    createContext: ({ info }) => {
      signals.push(info.signal);
      return {};
    },
  };
  await app.register(fastifyTRPCOpenApiPlugin, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  release();
  await app.close();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

it('leaves the signal of a finished request unaborted, and coerces query inputs on every call', async () => {
  for (const n of [1, 2]) {
    const response = await fetch(`http://127.0.0.1:${port}/api/quick?n=${n}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ n });
  }
  await tick();
  expect(signals).toHaveLength(2);
  expect(signals.map((signal) => signal.aborted)).toEqual([false, false]);
});

it('aborts the signal when the client goes away before the response', async () => {
  signals.length = 0;
  const req = request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/api/slow',
    headers: { 'content-type': 'application/json' },
  });
  req.on('error', () => undefined);
  req.end('{}');
  while (signals.length === 0) await tick();
  const [signal] = signals;
  expect(signal?.aborted).toBe(false);
  const aborted = signal ? once(signal, 'abort') : Promise.resolve();
  req.destroy();
  await aborted;
  expect(signal?.aborted).toBe(true);
  release();
});
