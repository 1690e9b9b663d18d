// Real child processes for CLI tests: spawn the built CLI, collect its output,
// wait for it to answer or exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CLI_MAIN } from './paths.js';

export interface CliRun {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

export function runCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: CliRun = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => { resolve(code); })),
  };
  child.stdout.on('data', (c: Buffer) => (run.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
  return run;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

/** Polls until `url` answers 200, or throws after `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
