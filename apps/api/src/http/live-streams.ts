import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { payloadHook } from './hook-forms.ts';

/**
 * Live event streams (tRPC subscriptions over server-sent events) are cut at shutdown. A stream
 * never ends by itself, so each held the graceful shutdown for its whole 10 s (exit 1); ended
 * cleanly instead, tRPC sends its `return` event and the client takes the subscription as
 * finished: it never reconnected (attack, session 10). Cut, the connection ends as when the
 * process dies, and the client reconnects (to another process, or this one restarted) with the
 * last event id it got, missing nothing. A connection is tracked only while its stream's response
 * lasts, so a kept-alive connection serving a later request is not cut.
 */
export function cutLiveStreamsOnClose(app: FastifyInstance): void {
  const streams = new Set<Socket>();
  app.addHook(
    'onSend',
    payloadHook((req, reply, payload) => {
      // The tRPC adapter answers with a fetch Response; a subscription's is an event stream.
      if (!(payload instanceof Response) || !payload.headers.get('content-type')?.startsWith('text/event-stream'))
        return payload;
      const socket = req.raw.socket;
      streams.add(socket);
      reply.raw.once('close', () => streams.delete(socket));
      return payload;
    }),
  );
  app.addHook('preClose', async () => {
    for (const socket of streams) socket.destroy();
  });
}
