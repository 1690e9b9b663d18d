// The redis-server behind the switchyard-redis system: Debian's package, on
// its own port and in its own directory, with no persistence. It is pinned
// beside the load generator, as a fleet's Redis lives on another machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, spawnChild, type ChildHandle } from './child.js';
import { pinnedCommand, type PinPlan } from './pinning.js';

export type RedisStart =
  | { readonly kind: 'running'; readonly url: string; stop(): Promise<void> }
  | { readonly kind: 'not-available' | 'failed'; readonly reason: string };

const READY_TIMEOUT_MS = 10_000;

export async function startBenchRedis(pin: PinPlan, tempDir: string, cwd: string): Promise<RedisStart> {
  const dir = mkdtempSync(join(tempDir, 'redis-'));
  const port = await findFreePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  const { command, args: full } = pinnedCommand(pin, 'load', 'redis-server', args);
  const child: ChildHandle = spawnChild(command, full, cwd);
  const ready = await child.waitForLine((line) => (line.includes('Ready to accept connections') ? true : undefined), READY_TIMEOUT_MS);
  if (ready === undefined) {
    await child.stop(1000);
    rmSync(dir, { recursive: true, force: true });
    const tail = child.outputTail();
    return /ENOENT|not found/.test(tail) ? { kind: 'not-available', reason: 'redis-server is not installed (apt-get install redis-server)' } : { kind: 'failed', reason: `redis-server did not start: ${tail}` };
  }
  return {
    kind: 'running',
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      await child.stop(2000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
