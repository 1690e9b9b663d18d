// Runs the gateway in this process until SIGTERM/SIGINT; SIGHUP reloads the file.
import type { Config } from '../config/types.js';
import { loadConfigFile } from '../config/load.js';
import { formatIssues } from '../config/formatIssues.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { startGateway, type RunningGateway } from '../server/gateway.js';

export interface ForegroundOptions {
  readonly onStarted?: (gw: RunningGateway, log: Logger) => void;
  readonly onStopped?: () => Promise<void>;
}

export async function runForeground(config: Config, file: string | undefined, opts: ForegroundOptions = {}): Promise<void> {
  const log = createLogger(config.gateway.logLevel);
  let gw: RunningGateway;
  try {
    gw = await startGateway(config, log);
  } catch (err) {
    process.stderr.write(`cannot listen on ${config.listener.address}:${config.listener.port}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log.info({ url: gw.url, admin: gw.adminUrl, config: config.source, providers: config.providers.length }, 'switchyard listening');
  opts.onStarted?.(gw, log);

  let current = config;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: current.gateway.shutdownGraceMs }, 'shutting down');
    void gw
      .close(current.gateway.shutdownGraceMs)
      .then(() => opts.onStopped?.())
      .then(() => {
        log.info('stopped');
        log.flush();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => { stop('SIGTERM'); });
  process.on('SIGINT', () => { stop('SIGINT'); });
  process.on('SIGHUP', () => {
    if (file === undefined) {
      log.warn('SIGHUP ignored: running without a config file');
      return;
    }
    const result = loadConfigFile(file);
    if (!result.ok) {
      log.error({ file, problems: formatIssues(result.issues, file) }, 'reload rejected; the previous config keeps serving');
      gw.reloadRejected();
      return;
    }
    const stale = fixedAtStart(current, result.config);
    if (stale.length > 0) log.warn({ file, settings: stale }, 'these settings take effect only after a restart');
    current = result.config;
    log.level = current.gateway.logLevel;
    gw.reload(current);
    log.info({ file }, 'config reloaded');
  });
}

/** Settings bound to the listening sockets or the tracer: a reload cannot change them. */
function fixedAtStart(running: Config, next: Config): string[] {
  const out: string[] = [];
  if (next.listener.address !== running.listener.address) out.push('listeners[].address');
  if (next.listener.port !== running.listener.port) out.push('listeners[].port');
  if (next.gateway.maxHeaderBytes !== running.gateway.maxHeaderBytes) out.push('switchyard.max_header_bytes');
  // The connection to the fleet is made once; a running replica keeps its place in it.
  if (JSON.stringify(next.gateway.sharedState) !== JSON.stringify(running.gateway.sharedState)) out.push('switchyard.shared_state');
  // The store is opened once: a reload cannot move conversations to another one.
  if (JSON.stringify(next.stateStorage) !== JSON.stringify(running.stateStorage)) out.push('state_storage');
  if (JSON.stringify(next.gateway.admin) !== JSON.stringify(running.gateway.admin)) out.push('switchyard.admin');
  if (JSON.stringify(next.tracing) !== JSON.stringify(running.tracing)) out.push('tracing');
  return out;
}
