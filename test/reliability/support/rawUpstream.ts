// A provider that writes raw bytes: malformed headers, bodies cut mid-way,
// wrong framing. node:http would refuse to produce most of these, so this is
// a plain TCP server that reads one request and hands the socket to a script.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawRequest {
  readonly head: string;
  readonly body: string;
  /** Set when the caller closed the connection before the script finished. */
  aborted: boolean;
}

export type RawScript = (socket: Socket, req: RawRequest) => void | Promise<void>;

export interface RawUpstream {
  readonly url: string;
  readonly requests: RawRequest[];
  script: RawScript;
  close(): Promise<void>;
}

/** A complete HTTP/1.1 response with the given head lines, body and Content-Length. */
export function rawResponse(status: number, headers: readonly string[], body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const head = [`HTTP/1.1 ${status} X`, ...headers, `content-length: ${bytes.length}`, '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

export async function startRawUpstream(script: RawScript): Promise<RawUpstream> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const upstream: RawUpstream = { url: '', requests, script, close: async () => {} };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let handled = false;
    socket.on('data', (chunk: Buffer) => {
      if (handled) return;
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      handled = true;
      const req: RawRequest = { head, body: buffered.subarray(end + 4, end + 4 + length).toString('utf8'), aborted: false };
      requests.push(req);
      socket.once('close', () => {
        if (!socket.writableFinished) req.aborted = true;
      });
      Promise.resolve(upstream.script(socket, req)).catch(() => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const { port } = server.address() as AddressInfo;
  return Object.assign(upstream, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => { resolve(); });
      }),
  });
}
