// Sends raw bytes to the gateway and reads back whatever it answers, for
// requests no well-behaved client library would produce.
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** The whole response as text ('' when the gateway answered nothing). */
  readonly text: string;
  readonly status: number | undefined;
  /** The body after the head, parsed when it is JSON. */
  readonly json: unknown;
  /** Milliseconds from connecting until the gateway closed the connection. */
  readonly closedAfterMs: number;
}

export function parseReply(text: string, closedAfterMs: number): RawReply {
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { text, status: status === undefined ? undefined : Number(status), json, closedAfterMs };
}

/**
 * Writes `parts` with `gapMs` between them (a slow client) and resolves once the
 * gateway closes the connection, or after `giveUpMs` with whatever arrived.
 */
export function sendRaw(url: string, parts: readonly (string | Buffer)[], opts: { gapMs?: number; giveUpMs?: number } = {}): Promise<RawReply> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(Number(port), hostname);
    let text = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const writeNext = (): void => {
      if (i >= parts.length || socket.destroyed) return;
      socket.write(parts[i++]!);
      if (i < parts.length) timer = setTimeout(writeNext, opts.gapMs ?? 0);
    };
    const giveUp = setTimeout(() => socket.destroy(), opts.giveUpMs ?? 10_000);
    socket.on('connect', writeNext);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve(parseReply(text, performance.now() - started));
    });
  });
}
