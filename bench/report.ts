// Renders a BenchRun as the markdown committed in bench/results/latest.md.
import { floorRowFor, rssPerStream } from './extraRows.js';
import { directFor, loadOf, measured, probeOf, probeOverheadUs, ratio, rps } from './lookup.js';
import type { BenchRun, SystemResult } from './results.js';
import type { SystemName } from './systems.js';
import type { RequestMode } from './target.js';
import { evaluateTargets } from './targets.js';

const MB = 1024 * 1024;
const dash = '—';
const num = (n: number | undefined, digits = 0): string => (n === undefined || Number.isNaN(n) ? dash : n.toFixed(digits));
const signed = (n: number | undefined, digits = 0): string => (n === undefined || Number.isNaN(n) ? dash : `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`);
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const header = (cells: readonly string[]): string[] => [row(cells), row(cells.map(() => '---'))];

function probeTable(run: BenchRun): string[] {
  const lines = ['## Concurrency 1, sequential keep-alive probe (µs)', '', 'Non-streaming, whole request:', ''];
  lines.push(...header(['system', 'p50', 'p99', 'max', 'overhead p50', 'overhead p99', 'p50 over floor', 'samples']));
  const floor = probeOf(run, 'floor', 'json', 'totalUs');
  for (const s of measuredNames(run)) {
    const t = probeOf(run, s, 'json', 'totalUs');
    lines.push(row([s, num(t?.p50), num(t?.p99), num(t?.max), signed(probeOverheadUs(run, s, 'json', 'totalUs', 'p50')), signed(probeOverheadUs(run, s, 'json', 'totalUs', 'p99')), signed(t && floor ? t.p50 - floor.p50 : undefined), num(t?.count)]));
  }
  lines.push('', 'Streaming, time to first chunk (TTFC) and to the end of the stream:', '');
  lines.push(...header(['system', 'TTFC p50', 'TTFC p99', 'TTFC overhead p50', 'TTFC overhead p99', 'full stream p50', 'samples']));
  for (const s of measuredNames(run)) {
    const f = probeOf(run, s, 'stream', 'firstChunkUs');
    const t = probeOf(run, s, 'stream', 'totalUs');
    lines.push(row([s, num(f?.p50), num(f?.p99), signed(probeOverheadUs(run, s, 'stream', 'firstChunkUs', 'p50')), signed(probeOverheadUs(run, s, 'stream', 'firstChunkUs', 'p99')), num(t?.p50), num(f?.count)]));
  }
  return lines;
}

function loadTable(run: BenchRun, mode: RequestMode, connections: number): string[] {
  const lines = [`## Load: ${mode === 'json' ? 'non-streaming' : 'streaming'}, concurrency ${connections} (autocannon, ms)`, ''];
  lines.push(...header(['system', 'req/s', 'p50', 'p99', 'max', 'overhead p50', 'overhead p99', 'CPU s / 10k req', 'gateway cores busy', 'failures']));
  for (const s of measuredNames(run)) {
    const base = loadOf(measured(run, directFor(s)), mode, connections)?.load;
    const m = loadOf(measured(run, s), mode, connections);
    const l = m?.load;
    const over = (pct: 'p50' | 'p99'): string => (l && base ? signed(l.latencyMs[pct] - base.latencyMs[pct]) : dash);
    lines.push(row([s, num(l?.requestsPerSec), num(l?.latencyMs.p50), num(l?.latencyMs.p99), num(l?.latencyMs.max), over('p50'), over('p99'), num(m?.cpuSecondsPer10k, 2), num(busyCores(m?.cpuSecondsPer10k, l?.requestsPerSec), 2), num(l?.failures)]));
  }
  return lines;
}

// CPU seconds per second: near the system's core count means the gateway was
// the bottleneck; well below it means the load generator (or mock) was.
function busyCores(cpuPer10k: number | undefined, reqPerSec: number | undefined): number | undefined {
  return cpuPer10k === undefined || reqPerSec === undefined ? undefined : (cpuPer10k * reqPerSec) / 10_000;
}

function resourceTable(run: BenchRun): string[] {
  const lines = ['## Gateway process', ''];
  lines.push(...header(['system', 'peak RSS MB', 'RSS after first → last load phase (MB)', 'exit on SIGTERM']));
  for (const s of run.systems) {
    if (s.kind !== 'measured' || s.name === directFor(s.name)) continue;
    const fl = s.rssFirstLastBytes;
    const exit = s.exit ? (s.exit.code !== null ? `code ${s.exit.code}` : `signal ${s.exit.signal}`) : dash;
    lines.push(row([s.name, num(s.peakRssBytes === undefined ? undefined : s.peakRssBytes / MB, 1), fl ? `${num(fl[0] / MB, 1)} → ${num(fl[1] / MB, 1)}` : dash, exit]));
  }
  return lines;
}

function ratioTable(run: BenchRun): string[] {
  const lines = ['## Ratios (same run)', ''];
  lines.push(...header(['measure', 'switchyard / portkey', 'switchyard / floor']));
  const both = (label: string, f: (n: SystemName) => number | undefined, digits = 2): string =>
    row([label, num(ratio(f('switchyard'), f('portkey')), digits), num(ratio(f('switchyard'), f('floor')), digits)]);
  lines.push(both('req/s, c64 non-streaming', (n) => rps(run, n, 'json', 64)));
  lines.push(both('req/s, c64 streaming', (n) => rps(run, n, 'stream', 64)));
  lines.push(both('req/s, c1 non-streaming', (n) => rps(run, n, 'json', 1)));
  lines.push(both('CPU s / 10k req, c64 non-streaming (lower is better)', (n) => loadOf(measured(run, n), 'json', 64)?.cpuSecondsPer10k));
  lines.push(both('probe p50 overhead over direct, c1 (lower is better)', (n) => probeOverheadUs(run, n, 'json', 'totalUs', 'p50')));
  lines.push('', `Failover: switchyard-failover / switchyard = ${num(ratio(rps(run, 'switchyard-failover', 'json', 64), rps(run, 'switchyard', 'json', 64)), 2)}; portkey-fallback / portkey = ${num(ratio(rps(run, 'portkey-fallback', 'json', 64), rps(run, 'portkey', 'json', 64)), 2)} (c64 non-streaming req/s).`);
  return lines;
}

/** This tree against --baseline, measured side by side in this run: the before and after of a change. */
function baselineTable(run: BenchRun): string[] {
  if (measured(run, 'baseline') === undefined) return [];
  const lines = ['## Before and after (this tree against --baseline, same run)', ''];
  lines.push(...header(['measure', 'baseline', 'this tree', 'this / baseline']));
  const both = (label: string, f: (n: SystemName) => number | undefined, digits = 0): string => {
    const before = f('baseline');
    const after = f('switchyard');
    return row([label, num(before, digits), num(after, digits), num(ratio(after, before), 3)]);
  };
  lines.push(both('req/s, c64 non-streaming', (n) => rps(run, n, 'json', 64)));
  lines.push(both('req/s, c64 streaming', (n) => rps(run, n, 'stream', 64)));
  lines.push(both('req/s, c1 non-streaming', (n) => rps(run, n, 'json', 1)));
  lines.push(both('req/s, c1 streaming', (n) => rps(run, n, 'stream', 1)));
  lines.push(both('probe p50 µs, c1 non-streaming (lower is better)', (n) => probeOf(run, n, 'json', 'totalUs')?.p50));
  lines.push(both('probe TTFC p50 µs, c1 streaming (lower is better)', (n) => probeOf(run, n, 'stream', 'firstChunkUs')?.p50));
  // CPU per request is the steadier figure when the machine is busy: it does not count time spent waiting for a core.
  lines.push(both('CPU s / 10k req, c64 non-streaming (lower is better)', (n) => loadOf(measured(run, n), 'json', 64)?.cpuSecondsPer10k, 2));
  lines.push(both('CPU s / 10k req, c64 streaming (lower is better)', (n) => loadOf(measured(run, n), 'stream', 64)?.cpuSecondsPer10k, 2));
  lines.push(both('peak RSS MB (lower is better)', (n) => { const b = measured(run, n)?.peakRssBytes; return b === undefined ? undefined : b / MB; }, 1));
  const failover = (n: SystemName): number | undefined => rps(run, n, 'json', 64);
  lines.push(row(['req/s, c64 non-streaming, failing over', num(failover('baseline-failover')), num(failover('switchyard-failover')), num(ratio(failover('switchyard-failover'), failover('baseline-failover')), 3)]));
  const failoverCpu = (n: SystemName): number | undefined => loadOf(measured(run, n), 'json', 64)?.cpuSecondsPer10k;
  lines.push(row(['CPU s / 10k req, c64 non-streaming, failing over (lower is better)', num(failoverCpu('baseline-failover'), 2), num(failoverCpu('switchyard-failover'), 2), num(ratio(failoverCpu('switchyard-failover'), failoverCpu('baseline-failover')), 3)]));
  return lines;
}

function longPromptTable(run: BenchRun): string[] {
  if (run.longPrompts.length === 0) return ['## Long prompts', '', 'Not run (`--parts long`).'];
  const lines = [
    `## Long prompts: ${run.longPrompts[0]?.connections ?? 8} connections, one fresh process per system (µs timing)`,
    '',
    'Same-format: an OpenAI client to an OpenAI entry. Translated: an OpenAI client to an Anthropic-format entry (read against the floor\'s same-format row). Peak RSS of the first row (1 MB same-format) is the fresh process\'s VmHWM.',
    '',
  ];
  lines.push(...header(['system', 'kind', 'body KB', 'req/s', 'share of floor', 'p50 ms', 'p99 ms', 'p50 over floor ms', 'CPU s / 10k req', 'peak RSS MB', 'RSS over floor MB', 'upstream KB / call', 'failures']));
  for (const r of run.longPrompts) {
    const f = floorRowFor(run, r);
    const rss = r.peakRssBytes;
    lines.push(row([
      r.system,
      r.kind,
      num(r.sizeBytes / 1024),
      num(r.load.requestsPerSec),
      r.system === 'floor' ? dash : num(ratio(r.load.requestsPerSec, f?.load.requestsPerSec), 2),
      num(r.load.latencyUs.p50 / 1000, 2),
      num(r.load.latencyUs.p99 / 1000, 2),
      r.system === 'floor' || f === undefined ? dash : signed((r.load.latencyUs.p50 - f.load.latencyUs.p50) / 1000, 2),
      num(r.cpuSecondsPer10k, 2),
      num(rss === undefined ? undefined : rss / MB, 1),
      r.system === 'floor' || rss === undefined || f?.peakRssBytes === undefined ? dash : signed((rss - f.peakRssBytes) / MB, 1),
      num(r.upstreamBytesPerCall === undefined ? undefined : r.upstreamBytesPerCall / 1024),
      r.load.failures === 0 ? '0' : `${r.load.failures} (${r.load.firstFailure ?? ''})`,
    ]));
  }
  return lines;
}

function openStreamsTable(run: BenchRun): string[] {
  if (run.openStreams.length === 0) return ['## Open streams', '', 'Not run (`--parts open`).'];
  const lines = [
    '## Open streams: slow streams (one token a second) held open at once, one fresh process per system',
    '',
    'RSS per stream is the process\'s RSS growth from before the streams opened to while they were open, divided by the streams held (both sockets of each stream are in the process). New requests: fast streamed requests sent one at a time while the streams are open; TTFC in µs.',
    '',
  ];
  lines.push(...header(['system', 'requested', 'held', 'ramp s', 'RSS before MB', 'RSS open MB', 'KB per stream', 'events / stream / s', 'new TTFC p50 idle', 'new TTFC p99 idle', 'new TTFC p50 open', 'new TTFC p99 open', 'refused', 'upstream not released']));
  for (const s of run.openStreams) {
    const idle = s.idleProbe.ok ? s.idleProbe.firstChunkUs : undefined;
    const open = s.whileOpen.ok ? s.whileOpen.firstChunkUs : undefined;
    const per = rssPerStream(s);
    lines.push(row([
      s.system,
      String(s.requested),
      s.held === s.requested ? String(s.held) : `${s.held} (file limit ${s.fdLimit ?? '?'})`,
      num(s.rampS, 1),
      num(s.rssBeforeBytes / MB, 1),
      num(s.rssOpenBytes / MB, 1),
      num(per === undefined ? undefined : per / 1024, 1),
      num(s.held > 0 && s.holdS > 0 ? s.eventsDuringHold / s.held / s.holdS : undefined, 2),
      num(idle?.p50),
      num(idle?.p99),
      num(open?.p50),
      num(open?.p99),
      s.refused === 0 ? '0' : `${s.refused} (${s.firstFailure ?? ''})`,
      String(s.stillOpenUpstream),
    ]));
  }
  return lines;
}

/** The same tree and config with its state in Redis (issue 14): within 10% of memory, since reads hit the mirror. */
function sharedStateTable(run: BenchRun): string[] {
  if (measured(run, 'switchyard-redis') === undefined) return [];
  const lines = ['## Shared state: Redis against memory (same run)', ''];
  lines.push(...header(['measure', 'switchyard (memory)', 'switchyard-redis', 'redis / memory']));
  const both = (label: string, f: (n: SystemName) => number | undefined, digits = 0): string => {
    const memory = f('switchyard');
    const redis = f('switchyard-redis');
    return row([label, num(memory, digits), num(redis, digits), num(ratio(redis, memory), 3)]);
  };
  lines.push(both('req/s, c64 non-streaming', (n) => rps(run, n, 'json', 64)));
  lines.push(both('req/s, c64 streaming', (n) => rps(run, n, 'stream', 64)));
  lines.push(both('req/s, c1 non-streaming', (n) => rps(run, n, 'json', 1)));
  lines.push(both('probe p50 µs, c1 non-streaming (lower is better)', (n) => probeOf(run, n, 'json', 'totalUs')?.p50));
  lines.push(both('CPU s / 10k req, c64 non-streaming (lower is better)', (n) => loadOf(measured(run, n), 'json', 64)?.cpuSecondsPer10k, 2));
  lines.push(both('peak RSS MB (lower is better)', (n) => { const b = measured(run, n)?.peakRssBytes; return b === undefined ? undefined : b / MB; }, 1));
  return lines;
}

/** The ratio targets measured side by side in alternating rounds (bench/pairedRuns.ts). */
function pairedTable(run: BenchRun): string[] {
  if (run.pairs.length === 0) return [];
  const first = run.pairs.find((p) => p.kind === 'measured');
  const lines = [
    '## Paired comparisons (side by side, alternating rounds)',
    '',
    `Both systems of a pair run at once and are loaded in turn: warm-ups, two settling rounds that are not counted, then${first?.kind === 'measured' ? ` ${first.order}, ${first.roundSeconds} s of c64 per round (the long-1mb pair: 8 connections sending 1 MB same-format prompts, as in the long-prompt rows; the c1-json pair: the sequential probe, one request at a time)` : ' alternating timed rounds'}; each side's median is compared. ` +
      'Run one after the other instead, the second of two identical builds measured 7–13% slower: the order, not the code. The ratio targets read these rows.',
    '',
  ];
  lines.push(...header(['reference', 'compared', 'mode', 'req/s reference', 'req/s compared', 'compared / reference', 'CPU s / 10k reference', 'CPU s / 10k compared', 'CPU ratio', 'req/s per round (reference; compared)']));
  for (const p of run.pairs) {
    if (p.kind !== 'measured') {
      lines.push(row([p.reference, p.compared, p.mode, `not measured: ${p.reason}`, '', '', '', '', '', '']));
      continue;
    }
    const p50 = p.p50Us === undefined ? '' : ` (median p50 ${num(p.p50Us.reference, 0)} µs; ${num(p.p50Us.compared, 0)} µs)`;
    const rounds = `${p.rpsRounds.reference.map((x) => num(x)).join(' ')}; ${p.rpsRounds.compared.map((x) => num(x)).join(' ')}${p50}`;
    lines.push(row([p.reference, p.compared, p.mode, num(p.rps.reference), num(p.rps.compared), num(ratio(p.rps.compared, p.rps.reference), 3), num(p.cpuPer10k?.reference, 2), num(p.cpuPer10k?.compared, 2), num(ratio(p.cpuPer10k?.compared, p.cpuPer10k?.reference), 3), rounds]));
  }
  return lines;
}

/** The tail-latency benchmark: client latency with and without hedging, and what the hedges cost upstream. */
function tailTable(run: BenchRun): string[] {
  const t = run.tail;
  if (t === undefined) return ['## Tail latency and hedging', '', 'Not run (--quick or --no-tail).'];
  const s = t.shape;
  const lines = [
    '## Tail latency and hedging (issue 15)',
    '',
    `One upstream answers in ${s.medianMs} ms, except a seeded ${s.slowShare * 100}% that take ${s.slowFactor}× as long; two entries of different providers point at it. ` +
      `A stream's first token comes at ${s.firstTokenMs} ms and ${s.chunks} chunks follow over the rest of the median; a slow stream is slow before its first token. ` +
      `Through the real CLI: ${t.options.warmup} warm-up requests, then ${t.options.requests} timed ones at concurrency ${t.options.concurrency} (ms, client side, to the answer's last byte).`,
    '',
    "A whole answer's hedge waits for a first byte, which is the whole answer: it starts no sooner than the median and takes a whole answer more, so its p99 stays above 2× the median by construction. A stream's hedge waits for a first token.",
    '',
  ];
  lines.push(...header(['answers', 'config', 'p50', 'p99', 'p99.9', 'max', 'p99 / p50', 'extra upstream requests', 'hedged answers', 'failures']));
  for (const r of t.runs) {
    lines.push(row([r.mode, r.label, num(r.p50Ms, 1), num(r.p99Ms, 1), num(r.p999Ms, 1), num(r.maxMs, 1), num(r.p99Ms / r.p50Ms, 2), `${num(r.extraUpstreamPct, 1)}%`, String(r.hedgedAnswers), String(r.failures)]));
  }
  return lines;
}

/** What metrics and tracing cost: this tree with tracing at 100% and without, against a baseline without either. */
function observabilityTable(run: BenchRun): string[] {
  if (measured(run, 'switchyard-traced') === undefined) return [];
  const lines = ['## Observability cost (same run)', '', 'baseline: --baseline checkout, no metrics or tracing; switchyard: metrics on, tracing off (the default); traced: metrics on, every request traced to a local OTLP/gRPC sink.', ''];
  lines.push(...header(['measure', 'baseline', 'switchyard', 'traced', 'switchyard / baseline', 'traced / switchyard', 'traced / baseline']));
  const three = (label: string, f: (n: SystemName) => number | undefined, digits = 0): string => {
    const [b, s, t] = [f('baseline'), f('switchyard'), f('switchyard-traced')];
    return row([label, num(b, digits), num(s, digits), num(t, digits), num(ratio(s, b), 3), num(ratio(t, s), 3), num(ratio(t, b), 3)]);
  };
  lines.push(three('req/s, c64 non-streaming', (n) => rps(run, n, 'json', 64)));
  lines.push(three('req/s, c64 streaming', (n) => rps(run, n, 'stream', 64)));
  lines.push(three('req/s, c1 non-streaming', (n) => rps(run, n, 'json', 1)));
  lines.push(three('probe p50 µs, c1 non-streaming (lower is better)', (n) => probeOf(run, n, 'json', 'totalUs')?.p50));
  lines.push(three('CPU s / 10k req, c64 non-streaming (lower is better)', (n) => loadOf(measured(run, n), 'json', 64)?.cpuSecondsPer10k, 2));
  lines.push(three('CPU s / 10k req, c64 streaming (lower is better)', (n) => loadOf(measured(run, n), 'stream', 64)?.cpuSecondsPer10k, 2));
  lines.push(three('peak RSS MB (lower is better)', (n) => { const b = measured(run, n)?.peakRssBytes; return b === undefined ? undefined : b / MB; }, 1));
  return lines;
}

function measuredNames(run: BenchRun): SystemName[] {
  return run.systems.filter((s) => s.kind === 'measured').map((s) => s.name);
}

function statusLine(s: SystemResult): string {
  if (s.kind === 'not-available') return `- **${s.name}**: not available: ${s.reason}`;
  if (s.kind === 'broken') return `- **${s.name}**: BROKEN, not timed: ${s.reason}`;
  return s.notes.length === 0 ? `- **${s.name}**: measured` : `- **${s.name}**: measured; ${s.notes.join('; ')}`;
}

export function renderReport(run: BenchRun): string {
  const m = run.machine;
  const pin = run.pin.kind === 'pinned' ? `load generator + mock on cpu ${run.pin.loadCpus}, system under test on cpu ${run.pin.systemCpus} (taskset)` : `NOT pinned: ${run.pin.reason}`;
  const lines = [
    '# Switchyard benchmark results',
    '',
    `- Date: ${m.date}`,
    `- Machine: ${m.cores} cores, ${m.cpuModel}, ${num(m.totalMemGb, 1)} GB RAM, ${m.platform}`,
    `- Node: ${m.node}`,
    `- 1-minute load average at start: ${num(m.loadAverageAtStart, 2)} (other work on the machine skews results)`,
    `- Pinning: ${pin}`,
    `- Load: ${run.settings.loadDurationS} s per c64 run, ${run.settings.c1DurationS} s per c1 run; probe up to ${run.settings.probeMaxRequests} requests or ${run.settings.probeMaxMs} ms per mode`,
    `- Wall time: ${num(run.wallSeconds)} s`,
    '',
    '## Systems',
    '',
    ...run.systems.map(statusLine),
    '',
    '## Targets (issues 5, 13, 15 and 16)',
    '',
    ...evaluateTargets(run).map((v) => `- ${v.verdict === 'pass' ? 'PASS' : v.verdict === 'fail' ? 'FAIL' : 'NOT MEASURED'}: ${v.target}: ${v.detail}`),
    '',
    ...ratioTable(run),
    '',
    ...baselineTable(run),
    '',
    ...pairedTable(run),
    '',
    ...sharedStateTable(run),
    '',
    ...observabilityTable(run),
    '',
    ...probeTable(run),
    '',
    ...loadTable(run, 'json', 1),
    '',
    ...loadTable(run, 'json', 64),
    '',
    ...loadTable(run, 'stream', 1),
    '',
    ...loadTable(run, 'stream', 64),
    '',
    ...resourceTable(run),
    '',
    ...longPromptTable(run),
    '',
    ...openStreamsTable(run),
    '',
    ...tailTable(run),
    '',
    '## Decision-path micro-benchmark',
    '',
    ...(run.micro.kind === 'measured' && run.micro.cases.length > 0
      ? [...header(['case', 'ns/op']), ...run.micro.cases.map((c) => row([c.name, num(c.nsPerOp, 0)]))]
      : [`Not measured: ${run.micro.kind === 'measured' ? 'no cases registered in bench/micro.ts' : run.micro.reason}`]),
    '',
    '## Soak',
    '',
    run.soak
      ? `${run.soak.system}, c64 non-streaming for ${run.soak.durationS} s: ${num(run.soak.requestsPerSec)} req/s, ${run.soak.failures} failures, RSS MB at each tenth: ${run.soak.rssBytes.map((b) => num(b / MB, 1)).join(', ')}`
      : 'Not run (add `--soak 60`).',
    '',
  ];
  return lines.join('\n');
}
