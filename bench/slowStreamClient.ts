// Holds many slow streams open at once with raw sockets: an HTTP/1.1 request
// written by hand and the answer counted, not kept, so that 10,000 of them
// cost the load generator little memory. A stream is "open" once its status
// line is 200 and its first event has arrived.
import { connect, type Socket } from 'node:net';
import { requestHeaders, type Target } from './target.js';

export interface SlowStream {
  /** Resolves when the first event arrives, or with why the stream failed before it. */
  readonly opened: Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Events ("data:" lines) received so far. */
  events(): number;
  /** Why the stream ended before close() was called, if it did. */
  endedEarly(): string | undefined;
  close(): void;
}

const DATA = Buffer.from('data:');

function countData(chunk: Buffer): number {
  let n = 0;
  for (let at = chunk.indexOf(DATA); at >= 0; at = chunk.indexOf(DATA, at + DATA.length)) n++;
  return n;
}

export function openSlowStream(target: Target, body: string, timeoutMs: number): SlowStream {
  const url = new URL(target.origin);
  const headers = { ...requestHeaders(target), host: url.host, 'content-length': String(Buffer.byteLength(body)) };
  const head = `POST ${target.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  let events = 0;
  let status: string | undefined;
  let closing = false;
  let early: string | undefined;
  let settle: (r: { ok: true } | { ok: false; reason: string }) => void = () => undefined;
  const opened = new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    settle = (r) => {
      settle = () => undefined;
      clearTimeout(timer);
      resolve(r);
    };
  });
  const timer = setTimeout(() => { settle({ ok: false, reason: `no first event within ${timeoutMs} ms` }); }, timeoutMs);
  socket.write(head + body);
  socket.on('data', (chunk: Buffer) => {
    if (status === undefined) {
      status = chunk.subarray(0, chunk.indexOf('\r\n')).toString('latin1');
      if (!status.startsWith('HTTP/1.1 200')) {
        early = `answered ${status}`;
        settle({ ok: false, reason: early });
        socket.destroy();
        return;
      }
    }
    events += countData(chunk);
    if (events > 0) settle({ ok: true });
  });
  const ended = (why: string): void => {
    if (closing) return;
    early ??= why;
    settle({ ok: false, reason: early });
  };
  socket.on('error', (err) => { ended(`socket error: ${err.message}`); });
  socket.on('close', () => { ended('closed by the server'); });
  return {
    opened,
    events: () => events,
    endedEarly: () => early,
    close: () => {
      closing = true;
      clearTimeout(timer);
      socket.destroy();
    },
  };
}
