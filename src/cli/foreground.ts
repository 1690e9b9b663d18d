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
  log.info({ url: gw.url, config: config.source, providers: config.providers.length }, 'switchyard listening');
  opts.onStarted?.(gw, log);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: config.gateway.shutdownGraceMs }, 'shutting down');
    void gw
      .close(config.gateway.shutdownGraceMs)
      .then(() => opts.onStopped?.())
      .then(() => {
        log.info('stopped');
        log.flush?.();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    if (file === undefined) {
      log.warn('SIGHUP ignored: running without a config file');
      return;
    }
    const result = loadConfigFile(file);
    if (!result.ok) {
      log.error({ file, problems: formatIssues(result.issues, file) }, 'reload rejected; the previous config keeps serving');
      return;
    }
    gw.reload(result.config);
    log.info({ file }, 'config reloaded');
  });
}
