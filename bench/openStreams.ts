// The open-streams row: one fresh process per system holds 1,000 and then
// 10,000 slow streams (one token a second). With them open it measures the
// process's RSS per open stream and the first-chunk time of new (fast)
// streamed requests; then the clients leave, and the upstream streams must be
// released. File descriptors bound the step: each stream costs the process two
// sockets, so the 10,000 step is capped at what its RLIMIT_NOFILE allows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readMockCounters } from './correctness.js';
import { runProbe } from './latencyProbe.js';
import { startProcessSampler } from './processSampler.js';
import type { OpenStreamsStep } from './results.js';
import { openSlowStream, type SlowStream } from './slowStreamClient.js';
import { SLOW_MODEL } from './switchyardConfig.js';
import type { RunningSystem, SystemName } from './systems.js';
import { BENCH_MODEL, type Target } from './target.js';

export const OPEN_STREAM_STEPS = [1000, 10_000] as const;
// Small batches: a starved process with a full accept queue drops SYNs, and a retried SYN costs seconds.
const BATCH = 100;
const OPEN_TIMEOUT_MS = 30_000;
/** Sockets and files a process holds besides the streams' two per stream. */
const FD_HEADROOM = 128;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The soft RLIMIT_NOFILE of a process, from /proc/<pid>/limits. */
export function openFileLimit(pid: number): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Raises this process's soft RLIMIT_NOFILE to its hard limit (children inherit
 * it): 10,000 streams need 20,000 sockets in the process under test. Raising
 * the hard limit needs privileges a bench should not ask for.
 */
export function raiseOpenFileLimit(log: (line: string) => void): void {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const line = /^Max open files\s+(\d+)\s+(\d+|unlimited)/m.exec(limits);
  if (!line || line[1] === line[2]) return;
  const hard = line[2] ?? '';
  const r = spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${hard}:${hard}`], { stdio: 'ignore' });
  log(r.status === 0 ? `open-file limit raised to ${hard}` : `could not raise the open-file limit (prlimit status ${r.status})`);
}

/** The floor forwards paths, so it reaches the slow upstream by path; gateways by model. */
function slowRequest(name: SystemName, target: Target): { target: Target; body: string } {
  const viaPath = name === 'floor';
  return {
    target: viaPath ? { ...target, path: '/slow/v1/chat/completions' } : target,
    body: JSON.stringify({ model: viaPath ? BENCH_MODEL : SLOW_MODEL, messages: [{ role: 'user', content: 'Think slowly.' }], max_tokens: 600, stream: true }),
  };
}

async function waitForRelease(mockOrigin: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = (await readMockCounters(mockOrigin)).openSlow;
    if (open === 0 || Date.now() > deadline) return open;
    await sleep(200);
  }
}

export async function measureOpenStreams(name: SystemName, system: RunningSystem, mockOrigin: string, log: (line: string) => void): Promise<OpenStreamsStep[]> {
  if (system.pid === undefined) return [];
  const sampler = startProcessSampler(system.pid);
  const limit = openFileLimit(system.pid);
  const slow = slowRequest(name, system.target);
  const probe = (): ReturnType<typeof runProbe> =>
    runProbe({ target: system.target, mode: 'stream', warmup: 20, warmupMaxMs: 1000, maxRequests: 500, maxDurationMs: 3000 });
  const steps: OpenStreamsStep[] = [];
  try {
    log('  open streams: idle probe');
    const idleProbe = await probe();
    for (const requested of OPEN_STREAM_STEPS) {
      const held = limit === undefined ? requested : Math.min(requested, Math.floor((limit - FD_HEADROOM) / 2));
      await sleep(500);
      const rssBeforeBytes = sampler.currentRssBytes();
      log(`  open streams: opening ${held}`);
      const streams: SlowStream[] = [];
      const failures: string[] = [];
      const openStarted = Date.now();
      for (let i = 0; i < held; i += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, held - i) }, () => openSlowStream(slow.target, slow.body, OPEN_TIMEOUT_MS));
        streams.push(...batch);
        for (const r of await Promise.all(batch.map((s) => s.opened))) if (!r.ok) failures.push(r.reason);
      }
      const rampS = (Date.now() - openStarted) / 1000;
      await sleep(1500);
      const rssOpenBytes = sampler.currentRssBytes();
      const eventsBefore = streams.reduce((n, s) => n + s.events(), 0);
      const holdStarted = Date.now();
      log(`  open streams: probing new requests with ${held} open`);
      const whileOpen = await probe();
      const holdS = (Date.now() - holdStarted) / 1000;
      const eventsDuringHold = streams.reduce((n, s) => n + s.events(), 0) - eventsBefore;
      const endedEarly = streams.map((s) => s.endedEarly()).filter((e): e is string => e !== undefined);
      for (const s of streams) s.close();
      const stillOpenUpstream = await waitForRelease(mockOrigin, 20_000);
      steps.push({
        system: name,
        requested,
        held,
        fdLimit: limit,
        refused: Math.max(failures.length, endedEarly.length),
        firstFailure: failures[0] ?? endedEarly[0],
        rampS,
        rssBeforeBytes,
        rssOpenBytes,
        eventsDuringHold,
        holdS,
        idleProbe,
        whileOpen,
        stillOpenUpstream,
      });
    }
  } finally {
    sampler.stop();
  }
  return steps;
}
