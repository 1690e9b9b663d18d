// A long single load run that samples RSS every tenth of its duration, to
// tell a leak (steady climb) from a warm heap (flat after the first samples).
import { runLoad } from './loadDriver.js';
import { startProcessSampler } from './processSampler.js';
import type { SoakResult } from './results.js';
import type { RunningSystem, SystemName } from './systems.js';

export async function runSoak(name: SystemName, system: RunningSystem, durationS: number): Promise<SoakResult | undefined> {
  if (system.pid === undefined) return undefined;
  const sampler = startProcessSampler(system.pid);
  const rssBytes: number[] = [];
  const tick = setInterval(() => rssBytes.push(sampler.currentRssBytes()), (durationS * 1000) / 10);
  try {
    const load = await runLoad({ target: system.target, mode: 'json', connections: 64, durationS });
    rssBytes.push(sampler.currentRssBytes());
    return { system: name, durationS, requestsPerSec: load.requestsPerSec, failures: load.failures, rssBytes };
  } finally {
    clearInterval(tick);
    sampler.stop();
  }
}
