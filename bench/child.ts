// Spawning and stopping the processes under test, with their output kept as a
// short tail for error reports (and always drained so a chatty child never blocks).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly pid: number;
  /** Resolves when the child exits, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  outputTail(): string;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** Resolves with the first stdout line for which `match` returns a value. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T | undefined>;
}

const TAIL_BYTES = 4096;

export function spawnChild(command: string, args: readonly string[], cwd: string): ChildHandle {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let tail = '';
  let exitInfo: ExitInfo | undefined;
  const lineWaiters = new Set<(line: string) => void>();
  let pending = '';
  const keep = (text: string): void => {
    tail = (tail + text).slice(-TAIL_BYTES);
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    keep(text);
    if (lineWaiters.size === 0) return;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) for (const waiter of lineWaiters) waiter(line);
  });
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      keep(`spawn error: ${err.message}\n`);
      exitInfo = { code: null, signal: null };
      resolve(exitInfo);
    });
  });

  return {
    pid: child.pid ?? -1,
    exited,
    hasExited: () => exitInfo !== undefined,
    outputTail: () => tail.trim(),
    stop: async (graceMs = 5000) => {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
    waitForLine: <T>(match: (line: string) => T | undefined, timeoutMs: number) =>
      new Promise<T | undefined>((resolve) => {
        const done = (value: T | undefined): void => {
          lineWaiters.delete(onLine);
          clearTimeout(timer);
          resolve(value);
        };
        const onLine = (line: string): void => {
          const value = match(line);
          if (value !== undefined) done(value);
        };
        const timer = setTimeout(() => { done(undefined); }, timeoutMs);
        lineWaiters.add(onLine);
        void exited.then(() => { done(undefined); });
      }),
  };
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

/** Polls url until it answers (any status, or only 200 when strict), the child dies, or time runs out. */
export async function waitForHttp(
  url: string,
  child: ChildHandle,
  opts: { timeoutMs: number; require200: boolean },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.hasExited()) return { ok: false, reason: `exited before ready: ${child.outputTail() || '(no output)'}` };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (!opts.require200 || res.status === 200) return { ok: true };
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ok: false, reason: `not ready after ${opts.timeoutMs} ms (${last})` };
}
