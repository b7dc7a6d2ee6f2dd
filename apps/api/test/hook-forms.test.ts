import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { payloadHook, requestHook } from '../src/http/hook-forms.ts';

/**
 * The callback forms of Fastify hooks (`http/hook-forms.ts`) mean what the async forms meant:
 * the chain goes on after a synchronous hook and after a hook's promise, a throw or a rejection
 * fails the request with its status, a hook that sent the reply ends the chain, and a payload
 * hook's result replaces the payload (undefined keeps it). Each case on a real Fastify server.
 */
type Seen = string[];
async function serverWith(register: (app: ReturnType<typeof Fastify>, seen: Seen) => void) {
  const app = Fastify();
  const seen: Seen = [];
  register(app, seen);
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) =>
    reply.code(error.statusCode ?? 500).send({ message: error.message }),
  );
  app.get('/', async () => {
    seen.push('handler');
    return { ok: true };
  });
  await app.ready();
  return { app, seen };
}
const statusError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

describe('requestHook', () => {
  it('goes on at once after a synchronous hook, in the same turn of the event loop', async () => {
    const { app, seen } = await serverWith((app, seen) => {
      app.addHook(
        'onRequest',
        requestHook(() => {
          seen.push('first');
          queueMicrotask(() => seen.push('microtask'));
        }),
      );
      app.addHook(
        'onRequest',
        requestHook(() => {
          seen.push('second');
        }),
      );
    });
    expect((await app.inject('/')).statusCode).toBe(200);
    // The second hook ran before the first hook's microtask: no promise between them.
    // (An async first hook resolves its promise after that microtask: 'microtask' came first.)
    expect(seen.indexOf('second')).toBeLessThan(seen.indexOf('microtask'));
    expect(seen).toEqual(expect.arrayContaining(['first', 'second', 'microtask', 'handler']));
  });

  it('waits for the promise a hook returns, and goes on after it', async () => {
    const { app, seen } = await serverWith((app, seen) => {
      app.addHook(
        'preHandler',
        requestHook(async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push('waited');
        }),
      );
    });
    expect((await app.inject('/')).statusCode).toBe(200);
    expect(seen).toEqual(['waited', 'handler']);
  });

  it('fails the request with the status of a thrown error or of a rejection', async () => {
    for (const hook of [
      requestHook(() => {
        throw statusError(418, 'thrown');
      }),
      requestHook(() => Promise.reject(statusError(418, 'rejected'))),
    ]) {
      const { app, seen } = await serverWith((app) => app.addHook('onRequest', hook));
      const response = await app.inject('/');
      expect(response.statusCode).toBe(418);
      expect(['thrown', 'rejected']).toContain(response.json<{ message: string }>().message);
      expect(seen).toEqual([]);
    }
  });

  it('ends the chain when a hook sent the reply, synchronously or after a promise', async () => {
    for (const send of ['sync', 'async'] as const) {
      const { app, seen } = await serverWith((app, seen) => {
        app.addHook(
          'onRequest',
          requestHook((_req, reply) =>
            send === 'sync'
              ? reply.code(401).send({ refused: send })
              : Promise.resolve().then(() => reply.code(401).send({ refused: send })),
          ),
        );
        app.addHook(
          'onRequest',
          requestHook(() => {
            seen.push('later hook');
          }),
        );
      });
      const response = await app.inject('/');
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ refused: send });
      expect(seen).toEqual([]);
    }
  });
});

describe('payloadHook', () => {
  it('replaces the payload with what the hook returns, at once or after its promise; undefined keeps it', async () => {
    const { app } = await serverWith((app) => {
      app.addHook(
        'onSend',
        payloadHook((_req, _reply, payload: string) => payload.replace('true', '"first"')),
      );
      app.addHook(
        'onSend',
        payloadHook(() => undefined),
      );
      app.addHook(
        'onSend',
        payloadHook(async (_req, _reply, payload: string) => payload.replace('first', 'second')),
      );
    });
    expect((await app.inject('/')).json()).toEqual({ ok: 'second' });
  });

  it('fails the request with the status of a thrown error', async () => {
    const { app } = await serverWith((app) => {
      app.addHook(
        'preParsing',
        payloadHook(() => {
          throw statusError(415, 'no such body');
        }),
      );
    });
    const response = await app.inject('/');
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ message: 'no such body' });
  });
});
