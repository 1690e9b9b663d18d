// Starts a bench upstream on a free loopback port and tracks its sockets, so
// that close() ends stalled and kept-alive connections instead of waiting on them.
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ListeningUpstream {
  readonly url: string;
  readonly close: () => Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<ListeningUpstream> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => { resolve(); });
      }),
  };
}
