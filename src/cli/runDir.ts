// Where a background instance keeps its pid file and log: ~/.switchyard/run/,
// or $SWITCHYARD_HOME/run/ so tests and multiple users can keep them apart.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RunPaths {
  readonly dir: string;
  readonly pidFile: string;
  readonly logFile: string;
}

export function runPaths(env: NodeJS.ProcessEnv = process.env): RunPaths {
  const home = env['SWITCHYARD_HOME'] ?? join(homedir(), '.switchyard');
  const dir = join(home, 'run');
  return { dir, pidFile: join(dir, 'switchyard.pid'), logFile: join(dir, 'switchyard.log') };
}

export function ensureRunDir(paths: RunPaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
}
