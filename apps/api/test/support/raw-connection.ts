import net from 'node:net';

/** A raw TCP connection to a test server: for requests fetch cannot send (a body never finished). */
export type RawConnection = {
  /** Writes the request's head (lines joined by CRLF, a blank line after them) and then `body`. */
  send: (head: string[], body: string) => void;
  /** What the server has sent so far, as text. */
  received: () => string;
  /** Resolves once the server (or the client) has closed the connection. */
  closed: Promise<void>;
  socket: net.Socket;
};

/** Opens a raw connection to `url`'s host and port; resolves once it is connected. */
export async function openRawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  socket.on('error', () => undefined);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  return {
    send: (head, body) => socket.write([...head, '', body].join('\r\n')),
    received: () => text,
    closed,
    socket,
  };
}
