// Child processes die with the process that started them. A test file that
// times out is ended with SIGTERM, and its `after` hooks never run: without
// this, its gateways and redis-servers would outlive it.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** Kills `child` if this process exits or is told to stop while it runs. */
export function reapOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
    });
  }
}
