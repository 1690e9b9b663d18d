#!/usr/bin/env node
// The `switchyard` (alias `planoai`) command: argument parsing only; each
// command lives in its own module.
import { Command, InvalidArgumentError } from 'commander';
import { LISTENER_DEFAULTS } from '../config/defaults.js';
import { startBackground } from './background.js';
import { runDemo } from './demo.js';
import { stopBackground } from './down.js';
import { runForeground } from './foreground.js';
import { loadConfigOrExit } from './loadConfig.js';
import { printStatus } from './status.js';
import { validateFile } from './validate.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return port;
}

const program = new Command()
  .name('switchyard')
  .description("An LLM gateway that speaks Plano's config format and fails over when providers break.")
  .showHelpAfterError();

program
  .command('up')
  .description('start the gateway (in the background unless --foreground)')
  .argument('[file]', 'config file (default: ./config.yaml, then ./plano_config.yaml, else a zero-config from provider keys in the environment)')
  .option('--foreground', 'run in this process and log to stdout')
  .action(async (file: string | undefined, opts: { foreground?: boolean }) => {
    const { config, file: found } = loadConfigOrExit(file);
    if (opts.foreground) await runForeground(config, found);
    else process.exitCode = await startBackground(config, found);
  });

program
  .command('down')
  .description('stop the background gateway started by `up`')
  .action(async () => {
    process.exitCode = await stopBackground();
  });

program
  .command('validate')
  .description('check a config file and report every problem with its field path and line')
  .argument('<file>', 'config file')
  .action((file: string) => {
    process.exitCode = validateFile(file);
  });

program
  .command('status')
  .description("show what the running gateway is doing: each model's health, blocks, latency and errors, recent failovers")
  .option('--url <url>', 'the gateway (default: $SWITCHYARD_URL, else the admin or model listener of ./config.yaml, else http://127.0.0.1:12000); a client key comes from $SWITCHYARD_KEY')
  .action(async (opts: { url?: string }) => {
    process.exitCode = await printStatus(opts.url);
  });

program
  .command('demo')
  .description('run the gateway with two simulated providers (no keys, no network needed)')
  .option('--port <port>', 'listener port', parsePort, LISTENER_DEFAULTS.port)
  .action(async (opts: { port: number }) => {
    await runDemo(opts.port);
  });

await program.parseAsync(process.argv);
