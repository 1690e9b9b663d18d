// Starts and stops a gateway: the listener, its runtime, graceful shutdown.
import type { AddressInfo, Socket } from 'node:net';
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { openSharedState } from '../state/sharedState.js';
import { createGatewayServer, type GatewayServer } from './httpServer.js';
import { createRuntime } from './runtime.js';

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

/**
 * How long start-up waits for a fleet's state before serving. Redis that
 * refuses or fails answers sooner; one that never answers costs this once, and
 * the replica then serves from local state and syncs when Redis comes.
 */
const FLEET_SYNC_WAIT_MS = 3_000;

export async function startGateway(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningGateway> {
  const shared = await openSharedState(config, log);
  // A replica loads the fleet's lessons before its first request.
  await shared.link.whenSynced(FLEET_SYNC_WAIT_MS);
  const runtime = createRuntime(config, log, { shared });
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? config.listener.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await shared.link.close();
    throw err;
  }
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
        // After the last request: its retry slots go back to the fleet now, not when their leases lapse.
        await shared.link.close();
      })();
      return closing;
    },
  };
}
