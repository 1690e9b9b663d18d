// The bench runner: `node dist/bench/run.js [--quick] [--soak S] [--duration S]
// [--only a,b] [--no-pin] [--no-tail] [--out path] [--baseline DIR] [--parts main,pairs,long,open]`.
// Starts the mock, then each system in turn, measures it, stops it, then runs
// the tail-latency benchmark, and writes the markdown report (full runs).
// Exits 1 when any available system answered wrong.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, spawnChild } from './child.js';
import { parseRunArgs } from './cliArgs.js';
import { machineFacts } from './machine.js';
import { measureSystem } from './measure.js';
import { detectPinning, pinnedCommand, pinSelf, type PinPlan } from './pinning.js';
import { renderReport } from './report.js';
import type { BenchRun, BenchSettings, LongPromptRow, MicroOutcome, OpenStreamsStep, PairedComparison, SoakResult, SystemResult } from './results.js';
import { measureLongPrompts } from './longPrompts.js';
import { measureOpenStreams, raiseOpenFileLimit } from './openStreams.js';
import { measurePair, PAIRS } from './pairedRuns.js';
import { runSoak } from './memorySoak.js';
import type { TailResult } from './tailLatency.js';
import { ALL_SYSTEMS, type LaunchContext, type RunningSystem, type SystemSpec } from './systems.js';
import { evaluateTargets } from './targets.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function runMicro(): Promise<MicroOutcome> {
  try {
    const micro = (await import('./micro.js')) as { runMicroBenchmarks?: () => Promise<MicroOutcome> };
    return micro.runMicroBenchmarks ? await micro.runMicroBenchmarks() : { kind: 'not-measured', reason: 'bench/micro.ts exports no runMicroBenchmarks' };
  } catch (err) {
    return { kind: 'not-measured', reason: `bench/micro.ts not loadable: ${String(err)}` };
  }
}

/** What the OTLP sink received from the traced system, for its notes. */
async function sinkNote(port: number): Promise<string> {
  try {
    const stats = (await (await fetch(`http://127.0.0.1:${port}/__stats`)).json()) as { exports: number; bytes: number };
    return `exported ${stats.exports} OTLP/gRPC batches, ${(stats.bytes / 1024 / 1024).toFixed(1)} MB of spans, to the local sink`;
  } catch (err) {
    return `the OTLP sink did not answer: ${String(err)}`;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const parsed = parseRunArgs(process.argv.slice(2));
  if (!parsed.ok) {
    log(parsed.error);
    return 2;
  }
  const opts = parsed.options;
  const machine = machineFacts(); // before pinning narrows this process's view of the cpus
  const pin = pinSelf(detectPinning(!opts.pin));
  raiseOpenFileLimit(log); // before any child starts: they inherit it
  log(pin.kind === 'pinned' ? `pinned: load ${pin.loadCpus}, system ${pin.systemCpus}` : `not pinned: ${pin.reason}`);
  const settings: BenchSettings = { loadDurationS: opts.loadDurationS, c1DurationS: Math.max(1, Math.round(opts.loadDurationS / 2)), probeMaxRequests: 2000, probeMaxMs: 3000 };

  const mockPort = await findFreePort();
  const mockCmd = pinnedCommand(pin, 'load', process.execPath, [join(repoRoot, 'dist/bench/mockUpstreamMain.js'), '--port', String(mockPort)]);
  const mock = spawnChild(mockCmd.command, mockCmd.args, repoRoot);
  if (!(await mock.waitForLine((l) => (l.includes('"ready":true') ? true : undefined), 10_000))) {
    log(`mock upstream did not start: ${mock.outputTail()}`);
    return 1;
  }
  // The traced system's collector, beside the mock on the load generator's cpus.
  const sinkCmd = pinnedCommand(pin, 'load', process.execPath, [join(repoRoot, 'dist/bench/otlpSinkMain.js')]);
  const sink = spawnChild(sinkCmd.command, sinkCmd.args, repoRoot);
  const sinkPorts = await sink.waitForLine((l) => (l.includes('"ready":true') ? (JSON.parse(l) as { port: number; grpcPort: number }) : undefined), 10_000);
  if (sinkPorts === undefined) log(`OTLP sink did not start: ${sink.outputTail()}`);
  const tempDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const ctx: LaunchContext = {
    repoRoot,
    mockOrigin: `http://127.0.0.1:${mockPort}`,
    tempDir,
    pin,
    baselineRoot: opts.baseline === undefined ? undefined : resolve(opts.baseline),
    otlpGrpc: sinkPorts === undefined ? undefined : `http://127.0.0.1:${sinkPorts.grpcPort}`,
  };
  const results: SystemResult[] = [];
  const longPrompts: LongPromptRow[] = [];
  const openStreams: OpenStreamsStep[] = [];
  const pairs: PairedComparison[] = [];
  let soak: SoakResult | undefined;
  const wanted = (name: string): boolean => (opts.only === undefined ? !name.startsWith('baseline') || opts.baseline !== undefined : opts.only.some((n) => n === name));
  // The issue-16 rows run on fresh processes of the floor and the gateways that never fail.
  const freshRun = async (spec: SystemSpec, what: string, measure: (system: RunningSystem) => Promise<void>): Promise<void> => {
    log(`${spec.name}: starting for ${what}`);
    const started = await spec.start(ctx);
    if (started.kind !== 'running') {
      log(`${spec.name}: ${what} not measured: ${started.reason}`);
      return;
    }
    try {
      await measure(started.system);
    } finally {
      await started.system.stop();
    }
  };
  try {
    for (const spec of ALL_SYSTEMS.filter((s) => wanted(s.name) && (opts.parts.includes('main') || opts.quick))) {
      log(`${spec.name}: starting`);
      const started = await spec.start(ctx);
      if (started.kind !== 'running') {
        const reason = started.reason;
        results.push(started.kind === 'not-available' ? { kind: 'not-available', name: spec.name, reason } : { kind: 'broken', name: spec.name, reason: `failed to start: ${reason}` });
        log(`${spec.name}: ${started.kind}: ${reason}`);
        continue;
      }
      const result = await measureSystem(spec, started.system, ctx.mockOrigin, settings, opts.quick ? 'quick' : 'full', log);
      if (opts.soakS !== undefined && spec.name === 'switchyard' && result.kind === 'measured') {
        log(`${spec.name}: soak for ${opts.soakS} s`);
        soak = await runSoak(spec.name, started.system, opts.soakS);
      }
      const exit = await started.system.stop();
      // Stopping the gateway flushed its last spans: now the sink has everything it will get.
      const sunk = spec.name === 'switchyard-traced' && sinkPorts !== undefined ? [await sinkNote(sinkPorts.port)] : [];
      results.push(result.kind === 'measured' ? { ...result, exit, notes: [...result.notes, ...sunk] } : result);
      log(`${spec.name}: ${result.kind === 'broken' ? `BROKEN: ${result.reason}` : 'ok'}`);
    }
    if (opts.parts.includes('pairs') && !opts.quick) {
      for (const { reference: a, compared: b, mode } of PAIRS) {
        const sa = ALL_SYSTEMS.find((s) => s.name === a);
        const sb = ALL_SYSTEMS.find((s) => s.name === b);
        if (sa === undefined || sb === undefined || !wanted(a) || !wanted(b)) continue;
        log(`pair ${a} / ${b} (${mode})`);
        pairs.push(await measurePair([sa, sb], mode, ctx, ctx.mockOrigin, Math.max(2, Math.round(opts.loadDurationS / 3)), log));
      }
    }
    const extraSystems = opts.quick ? [] : ALL_SYSTEMS.filter((s) => wanted(s.name) && ['floor', 'baseline', 'switchyard'].includes(s.name));
    const longMs = Math.max(2, Math.round((opts.loadDurationS * 2) / 3)) * 1000;
    if (opts.parts.includes('long')) {
      for (const spec of extraSystems) {
        await freshRun(spec, 'long prompts', async (system) => { longPrompts.push(...(await measureLongPrompts(spec.name, system, ctx.mockOrigin, longMs, log))); });
      }
    }
    if (opts.parts.includes('open')) {
      for (const spec of extraSystems) {
        await freshRun(spec, 'open streams', async (system) => { openStreams.push(...(await measureOpenStreams(spec.name, system, ctx.mockOrigin, log))); });
      }
    }
  } finally {
    await sink.stop();
    await mock.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }

  const broken = results.filter((r) => r.kind === 'broken');
  // After the systems, on its own upstream: hedging against a slow tail, without and with hedge: {after: p95}.
  const tail = opts.quick || !opts.tail ? undefined : await runTailInChild(repoRoot, pin, log);
  if (opts.quick) {
    for (const r of results) log(`${r.name}: ${r.kind === 'measured' ? `answered correctly${r.notes.length ? ` (${r.notes.join('; ')})` : ''}` : `${r.kind}: ${r.reason}`}`);
  } else {
    const micro = await runMicro();
    const run: BenchRun = { machine, pin, settings, systems: results, micro, soak, longPrompts, openStreams, tail, pairs, wallSeconds: (Date.now() - started) / 1000 };
    const out = resolve(repoRoot, opts.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderReport(run));
    for (const v of evaluateTargets(run)) log(`${v.verdict.toUpperCase().padEnd(12)} ${v.target}: ${v.detail}`);
    log(`wrote ${out}`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; ${broken.length} broken`);
  return broken.length > 0 ? 1 : 0;
}

process.exitCode = await main();

/**
 * The tail benchmark, in a fresh process on the load generator's cpus (its
 * gateways on the system's): see tailMain.ts. Undefined, logged, if it fails.
 */
async function runTailInChild(repoRoot: string, pin: PinPlan, log: (line: string) => void): Promise<TailResult | undefined> {
  log('tail latency: whole answers and streams, without hedging and with hedge: {after: p95} (own process)');
  const cpus = pin.kind === 'pinned' ? ['--system-cpus', pin.systemCpus] : [];
  const cmd = pinnedCommand(pin, 'load', process.execPath, [join(repoRoot, 'dist/bench/tailMain.js'), ...cpus]);
  const child = spawnChild(cmd.command, cmd.args, repoRoot);
  const tail = await child.waitForLine((l) => (l.startsWith('{"tail":') ? (JSON.parse(l) as { tail: TailResult }).tail : undefined), 600_000);
  await child.stop();
  if (tail === undefined) log(`tail latency failed: ${child.outputTail()}`);
  return tail;
}
