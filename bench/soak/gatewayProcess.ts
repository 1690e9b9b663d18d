// The real CLI (`switchyard up <file> --foreground`) as a child process, for
// what only a process can show: signals, exit codes, its own RSS. Used by the
// soak and by the reliability tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { findFreePort } from '../child.js';
import { reapOnExit } from '../childReaper.js';
import { parseStatusBytes } from '../procStat.js';

// Compiled to dist/bench/soak/: the repository root is three levels up.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const CLI_MAIN = resolve(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface ChildGateway {
  readonly url: string;
  readonly pid: number;
  readonly configFile: string;
  /** Every JSON log line the child printed, parsed. */
  readonly logs: Record<string, unknown>[];
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(sig: NodeJS.Signals): void;
  /** Resolves with the first log line (already printed or still to come) that matches, or rejects after `timeoutMs`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGKILLs the child if it is still running and removes its config directory. */
  dispose(): Promise<void>;
}

/** Resident set size of one process, from /proc (Linux). */
export function rssBytesOf(pid: number): number {
  return parseStatusBytes(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') ?? 0;
}

async function waitHealthy(url: string, exited: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !exited()) {
    try {
      const res = await request(`${url}/healthz`, { headersTimeout: 1000, bodyTimeout: 1000 });
      await res.body.dump();
      if (res.statusCode === 200) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * `yamlFor(port)` is the config; the child listens on 127.0.0.1:port. Resolves once /healthz answers,
 * or rejects (the child killed) after `healthyWithinMs`.
 */
export async function startChildGateway(yamlFor: (port: number) => string, env: NodeJS.ProcessEnv = {}, healthyWithinMs = 15_000): Promise<ChildGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-child-'));
  const configFile = join(dir, 'config.yaml');
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(configFile, yamlFor(port));
  const child: ChildProcess = spawn(process.execPath, [CLI_MAIN, 'up', configFile, '--foreground'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'], HOME: dir, SWITCHYARD_HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child);
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const w of waiters) w();
      resolve({ code, signal });
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });

  const waitForLog: ChildGateway['waitForLog'] = (match, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = logs.find(match);
        if (hit) {
          cleanup();
          resolve(hit);
        } else if (done) {
          cleanup();
          reject(new Error(`child exited before the expected log line; stderr: ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const dispose = async (): Promise<void> => {
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitHealthy(url, () => done, healthyWithinMs))) {
    await dispose();
    throw new Error(`the gateway did not become healthy at ${url}; stderr: ${stderr}`);
  }
  return {
    url,
    pid: child.pid!,
    configFile,
    logs,
    stderr: () => stderr,
    exited,
    signal: (sig) => {
      child.kill(sig);
    },
    waitForLog,
    dispose,
  };
}
