// Starts and stops a gateway: the listener, its runtime, the admin listener,
// observability (metrics, status, tracing), graceful shutdown.
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { Observability } from '../observability/observability.js';
import { startTracing } from '../observability/tracing/load.js';
import { openSharedState } from '../state/sharedState.js';
import { createAdminServer } from './adminServer.js';
import { createGatewayServer, type GatewayServer } from './httpServer.js';
import { createRedactor, secretsOf } from './redactSecrets.js';
import { createRuntime } from './runtime.js';
import { openConversationStore } from '../state/conversations/openStore.js';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly http: GatewayServer;
  /** The admin listener's URL, when switchyard.admin is configured. */
  readonly adminUrl: string | undefined;
  /** Installs a new, already validated config for new requests. */
  reload(config: Config): void;
  /** A reload was refused (the file had errors); the metrics count it. */
  reloadRejected(): void;
  /** Stops accepting, lets in-flight requests finish up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  /** Overrides the listener's address/port (tests use port 0). */
  readonly host?: string;
  readonly port?: number;
  /** Where OTEL_* is read from; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** false only in the test that proves the credential scan fails without redaction. */
  readonly redactSecrets?: boolean;
}

/**
 * How long start-up waits for a fleet's state before serving. Redis that
 * refuses or fails answers sooner; one that never answers costs this once, and
 * the replica then serves from local state and syncs when Redis comes.
 */
const FLEET_SYNC_WAIT_MS = 3_000;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const shown = (host: string): string => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

export async function startGateway(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningGateway> {
  const redactSecrets = opts.redactSecrets ?? true;
  const shared = await openSharedState(config, log);
  // A replica loads the fleet's lessons before its first request.
  await shared.link.whenSynced(FLEET_SYNC_WAIT_MS);
  // The tracer outlives reloads; it redacts with the running config's secrets.
  let redactor = createRedactor(redactSecrets ? secretsOf(config) : []);
  const tracer = await startTracing(config.tracing, opts.env ?? process.env, (s) => redactor.text(s), log);
  // A database that is down does not stop start-up: its requests get 503 until it comes back.
  const conversations = await openConversationStore(config.stateStorage, log);
  // Read only once `http` exists: at request or scrape time.
  const obs = new Observability(() => http.runtime(), tracer);
  const http: GatewayServer = createGatewayServer(createRuntime(config, log, obs, { shared, conversations }, redactSecrets));
  redactor = http.runtime().redact;
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
  let port: number;
  const adminConfig = config.gateway.admin;
  let admin: Server | undefined;
  let adminUrl: string | undefined;
  try {
    port = await listen(server, opts.port ?? config.listener.port, host);
    if (adminConfig !== undefined) {
      admin = createAdminServer(() => http.runtime(), () => http.isReady());
      try {
        adminUrl = `http://${shown(adminConfig.address)}:${await listen(admin, adminConfig.port, adminConfig.address)}`;
      } catch (err) {
        await new Promise<void>((resolve) => server.close(() => { resolve(); }));
        throw err;
      }
    }
  } catch (err) {
    // A gateway that never served leaves no connection (to the fleet, to Postgres) behind.
    await shared.link.close();
    await conversations.close();
    throw err;
  }
  let closing: Promise<void> | undefined;

  return {
    url: `http://${shown(host)}:${port}`,
    port,
    http,
    adminUrl,
    reload(next) {
      const previous = http.runtime();
      // Pools, shared state and observability carry over: a reload keeps warm sockets, known blocks and counters.
      http.setRuntime(createRuntime(next, log, obs, previous, redactSecrets));
      redactor = http.runtime().redact;
      obs.metrics.reloaded(true);
    },
    reloadRejected() {
      obs.metrics.reloaded(false);
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
        if (admin !== undefined) {
          const adminServer = admin;
          await new Promise<void>((resolve) => {
            adminServer.close(() => { resolve(); });
            adminServer.closeAllConnections();
          });
        }
        await http.runtime().pools.close();
        // After the last request: its retry slots go back to the fleet now, not when their leases lapse.
        await shared.link.close();
        await conversations.close();
        // Sends the spans still queued.
        await obs.close();
      })();
      return closing;
    },
  };
}
