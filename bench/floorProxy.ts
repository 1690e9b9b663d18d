// The floor: the least a proxy can do. node:http in, undici pool out, bytes
// piped both ways with no parsing. Any gateway's overhead is judged against it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

export interface FloorProxy {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

// Hop-by-hop headers describe one connection and must not be forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

export async function startFloorProxy(upstreamOrigin: string, port = 0, host = '127.0.0.1'): Promise<FloorProxy> {
  // No cap on connections: the open-streams row holds 10,000 streams, each on its own upstream connection.
  const pool = new Pool(upstreamOrigin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const server = createServer((req, res) => {
    pool
      .stream(
        { method: req.method as 'POST', path: req.url ?? '/', headers: forwardable(req.headers), body: req },
        ({ statusCode, headers }) => {
          res.writeHead(statusCode, forwardable(headers));
          return res;
        },
      )
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `floor proxy: ${String(err)}`, type: 'upstream_error' } }));
      });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
      await pool.close();
    },
  };
}
