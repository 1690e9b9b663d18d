// `switchyard down`: SIGTERM the background instance and wait for it to exit.
import { unlinkSync } from 'node:fs';
import { isRunning, readPid } from './pidFile.js';
import { runPaths } from './runDir.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function stopBackground(timeoutMs = 60_000): Promise<number> {
  const paths = runPaths();
  const pid = readPid(paths.pidFile);
  if (pid === undefined || !isRunning(pid)) {
    process.stdout.write('switchyard is not running\n');
    try {
      unlinkSync(paths.pidFile);
    } catch {
      // No stale pid file to remove.
    }
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && isRunning(pid)) await sleep(100);
  if (isRunning(pid)) {
    process.stderr.write(`switchyard (pid ${pid}) did not stop within ${timeoutMs} ms\n`);
    return 1;
  }
  unlinkSync(paths.pidFile);
  process.stdout.write(`switchyard (pid ${pid}) stopped\n`);
  return 0;
}
