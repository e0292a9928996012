import type { IncomingMessage } from 'node:http';

/** How long, and how many bytes, a refused body is still read after the answer. */
const LINGER_MS = 3000;
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * A lingering close, for answers sent before the request body was read (413, 415, a 403/422
 * on an upload). Node closes such a connection as soon as the answer is written, and closing a
 * socket with unread input makes the kernel reset it: a client still writing its body then gets
 * EPIPE/ECONNRESET and never reads the answer. Instead, our side is finished (FIN) and what the
 * client still sends is read and thrown away, for at most `LINGER_MS` and `LINGER_BYTES`, so it
 * sees the answer and stops. Nothing read here is parsed or stored.
 */
export function lingerAfterAnswer(request: IncomingMessage): void {
  const socket = request.socket;
  if (socket.destroyed) return;
  // A body parser may still be attached (multipart): stop feeding it, and drain instead.
  request.unpipe();
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) socket.destroy();
  });
  request.resume();
  // Node calls destroySoon once an answer marked `Connection: close` is written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(timer));
  };
}
