import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort } from 'node:worker_threads';

/**
 * The webhooks bench's receiver, on a worker thread of its own: parsing deliveries on the load
 * generator's event loop delayed autocannon's requests, which the bench then counted against the
 * service. Answers 204 and keeps each arrival (time, `webhook-id`, the event's timestamp); the
 * bench asks for the count (`count`) and for the arrivals (`arrivals`).
 */
export type Arrival = { at: number; id: string; timestamp: string };

const arrivals: Arrival[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string };
    arrivals.push({ at, id: String(req.headers['webhook-id']), timestamp: body.timestamp });
    res.writeHead(204).end();
  });
});
receiver.listen(0, '127.0.0.1', () => {
  parentPort?.postMessage({ port: (receiver.address() as AddressInfo).port });
});
parentPort?.on('message', (message: 'count' | 'arrivals' | 'close') => {
  if (message === 'count') parentPort?.postMessage({ count: arrivals.length });
  else if (message === 'arrivals') parentPort?.postMessage({ arrivals });
  else receiver.close(() => parentPort?.close());
});
