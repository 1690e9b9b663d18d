// `up` without --foreground: start a detached child running `up --foreground`,
// record its pid, and return once its /healthz answers.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/types.js';
import { ensureRunDir, runPaths } from './runDir.js';
import { isRunning, readPid } from './pidFile.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function tail(file: string, lines = 20): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

export async function startBackground(config: Config, file: string | undefined): Promise<number> {
  const paths = runPaths();
  ensureRunDir(paths);
  const existing = readPid(paths.pidFile);
  if (existing !== undefined && isRunning(existing)) {
    process.stderr.write(`switchyard is already running (pid ${existing}); stop it with: switchyard down\n`);
    return 1;
  }
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const log = openSync(paths.logFile, 'a', 0o600);
  const args = [main, 'up', ...(file !== undefined ? [file] : []), '--foreground'];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env: process.env });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  writeFileSync(paths.pidFile, `${child.pid}\n`, { mode: 0o600 });

  const host = config.listener.address === '0.0.0.0' || config.listener.address === '::' ? '127.0.0.1' : config.listener.address;
  const url = `http://${host}:${config.listener.port}`;
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (exited !== undefined) break;
    if (await healthy(url)) {
      child.unref();
      process.stdout.write(`switchyard is up at ${url} (pid ${child.pid}, log ${paths.logFile})\n`);
      return 0;
    }
    await sleep(100);
  }
  if (exited === undefined) child.kill('SIGTERM');
  if (existsSync(paths.pidFile)) unlinkSync(paths.pidFile);
  process.stderr.write(`switchyard did not become healthy at ${url}. Last log lines:\n${tail(paths.logFile)}\n`);
  return 1;
}
