// Starts and stops a gateway: the listener, its runtime, graceful shutdown.
import type { AddressInfo, Socket } from 'node:net';
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { createGatewayServer, type GatewayServer } from './httpServer.js';
import { createRuntime } from './runtime.js';
import { openConversationStore } from '../state/conversations/openStore.js';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly http: GatewayServer;
  /** Installs a new, already validated config for new requests. */
  reload(config: Config): void;
  /** Stops accepting, lets in-flight requests finish up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  /** Overrides the listener's address/port (tests use port 0). */
  readonly host?: string;
  readonly port?: number;
}

export async function startGateway(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningGateway> {
  // A database that is down does not stop start-up: its requests get 503 until it comes back.
  const conversations = await openConversationStore(config.stateStorage, log);
  const runtime = createRuntime(config, log, { conversations });
  const http = createGatewayServer(runtime);
  const { server } = http;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  const host = opts.host ?? config.listener.address;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.listener.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    http,
    reload(next) {
      const previous = http.runtime();
      // Pools and shared state carry over: a reload keeps warm sockets and known blocks.
      http.setRuntime(createRuntime(next, log, previous));
    },
    close(graceMs = config.gateway.shutdownGraceMs) {
      closing ??= (async () => {
        http.markNotReady();
        const stopped = new Promise<void>((resolve) => server.close(() => { resolve(); }));
        server.closeIdleConnections();
        if (inFlight > 0) {
          const idle = new Promise<void>((resolve) => {
            drained = resolve;
          });
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          });
          await Promise.race([idle, grace]);
          clearTimeout(timer);
        }
        for (const s of sockets) s.destroy();
        await stopped;
        await http.runtime().pools.close();
        await conversations.close();
      })();
      return closing;
    },
  };
}
