import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateTargets } from '../../bench/targets.js';
import { renderReport } from '../../bench/report.js';
import { benchRun, goodRun, longRow, measuredSystem, openStep } from './fixture.js';

const MB = 1024 * 1024;
const verdictOf = (run: ReturnType<typeof goodRun>, prefix: string): string | undefined =>
  evaluateTargets(run).find((v) => v.target.startsWith(prefix))?.verdict;

describe('targets', () => {
  it('passes every measured target on a good run and leaves unmeasured ones open', () => {
    const verdicts = evaluateTargets(goodRun());
    const byVerdict = (v: string): string[] => verdicts.filter((x) => x.verdict === v).map((x) => x.target);
    assert.deepEqual(byVerdict('fail'), []);
    assert.deepEqual(byVerdict('not-measured'), ['RSS does not grow over a 60 s run', 'Decision path < 5 µs', 'Hedged p99 ≤ 2× p50 with ≤ 10% extra upstream requests (streams)']);
  });
  it('judges the tail benchmark on the hedged streams: p99 within 2× p50 and at most 10% extra upstream requests', () => {
    const runs = (mode: 'whole' | 'streamed', p99Ms: number, extraUpstreamPct: number) => [
      { mode, label: 'no hedging' as const, p50Ms: 100, p99Ms: 2000, p999Ms: 2000, maxMs: 2000, extraUpstreamPct: 0, hedgedAnswers: 0, failures: 0 },
      { mode, label: 'hedge: {after: p95}' as const, p50Ms: 100, p99Ms, p999Ms: 2000, maxMs: 2000, extraUpstreamPct, hedgedAnswers: 200, failures: 0 },
    ];
    const tail = (p99Ms: number, extraUpstreamPct: number) => ({
      shape: { medianMs: 100, slowShare: 0.05, slowFactor: 20, firstTokenMs: 20, chunks: 8 },
      options: { requests: 4000, warmup: 400, concurrency: 32 },
      runs: [...runs('whole', 250, 5), ...runs('streamed', p99Ms, extraUpstreamPct)],
    });
    assert.equal(verdictOf(goodRun({ tail: tail(195, 6) }), 'Hedged p99'), 'pass');
    assert.equal(verdictOf(goodRun({ tail: tail(230, 6) }), 'Hedged p99'), 'fail');
    assert.equal(verdictOf(goodRun({ tail: tail(195, 12) }), 'Hedged p99'), 'fail');
    const md = renderReport(goodRun({ tail: tail(195, 6) }));
    assert.match(md, /\| streamed \| hedge: \{after: p95\} \| 100\.0 \| 195\.0 \| 2000\.0 \| 2000\.0 \| 1\.95 \| 6\.0% \| 200 \| 0 \|/);
    // The whole answers' figure is shown beside the verdict, not hidden.
    assert.match(md, /whole answers: p99 250\.0 ms = 2\.50× p50/);
    assert.match(renderReport(goodRun()), /Tail latency and hedging\n\nNot run/);
  });
  it('fails throughput below 85% of the floor and overhead above 0.15 ms', () => {
    const run = benchRun([
      measuredSystem('direct', 20_000, 100, 200, 100, 0),
      measuredSystem('floor', 16_000, 200, 400, 200, 60),
      measuredSystem('switchyard', 13_000, 300, 700, 400, 80),
    ]);
    assert.equal(verdictOf(run, 'Throughput c64 JSON ≥ 85%'), 'fail');
    assert.equal(verdictOf(run, 'Overhead c1 JSON p50'), 'fail');
    assert.equal(verdictOf(run, 'Streaming first-chunk'), 'fail');
    assert.equal(verdictOf(run, 'Throughput c64 JSON ≥ 10×'), 'not-measured');
  });
  it('judges memory growth only on a soak of at least 60 s', () => {
    const flat = goodRun({ soak: { system: 'switchyard', durationS: 60, requestsPerSec: 1, failures: 0, rssBytes: [80 * MB, 84 * MB, 82 * MB] } });
    const leaking = goodRun({ soak: { system: 'switchyard', durationS: 60, requestsPerSec: 1, failures: 0, rssBytes: [80 * MB, 100 * MB, 120 * MB] } });
    const short = goodRun({ soak: { system: 'switchyard', durationS: 10, requestsPerSec: 1, failures: 0, rssBytes: [80 * MB, 80 * MB] } });
    assert.equal(verdictOf(flat, 'RSS does not grow'), 'pass');
    // A GC sawtooth ending on a tooth is not growth; a rising floor is.
    const sawtooth = goodRun({ soak: { system: 'switchyard', durationS: 60, requestsPerSec: 1, failures: 0, rssBytes: [134 * MB, 160 * MB, 135 * MB, 165 * MB, 136 * MB, 153 * MB] } });
    const risingFloor = goodRun({ soak: { system: 'switchyard', durationS: 60, requestsPerSec: 1, failures: 0, rssBytes: [134 * MB, 160 * MB, 140 * MB, 165 * MB, 150 * MB, 170 * MB] } });
    assert.equal(verdictOf(sawtooth, 'RSS does not grow'), 'pass');
    assert.equal(verdictOf(risingFloor, 'RSS does not grow'), 'fail');
    assert.equal(verdictOf(leaking, 'RSS does not grow'), 'fail');
    assert.equal(verdictOf(short, 'RSS does not grow'), 'not-measured');
  });
  it('judges the issue-16 rows: long prompts against the floor, open streams by KB per stream and refusals', () => {
    const floor1m = longRow('floor', 'same-format', 1024, 400, 19_000, 100);
    const slow = goodRun({ longPrompts: [floor1m, longRow('switchyard', 'same-format', 1024, 300, 22_000, 170)] });
    assert.equal(verdictOf(slow, 'Long prompt 1 MB same-format ≥ 85%'), 'fail');
    assert.equal(verdictOf(slow, 'Long prompt 1 MB same-format p50'), 'fail');
    assert.equal(verdictOf(slow, 'Peak RSS at c8'), 'fail');
    assert.equal(verdictOf(goodRun({ longPrompts: [] }), 'Long prompt 1 MB same-format ≥ 85%'), 'not-measured');
    assert.equal(verdictOf(goodRun({ openStreams: [openStep('switchyard', 10_000, 70)] }), 'Open streams'), 'fail');
    assert.equal(verdictOf(goodRun({ openStreams: [openStep('switchyard', 10_000, 30, 1)] }), 'Open streams'), 'fail');
    assert.equal(verdictOf(goodRun({ openStreams: [] }), 'Open streams'), 'not-measured');
    const md = renderReport(goodRun());
    assert.match(md, /\| switchyard \| same-format \| 1024 \| 380 \| 0\.95 \| 20\.00 \| 20\.00 \| \+1\.00 \|/);
    assert.match(md, /\| switchyard \| 10000 \| 10000 \| 2\.0 \| 80\.0 \| 373\.0 \| 30\.0 \|/);
  });
  it('reads a ratio target from the side-by-side pair when one was measured, and says so', () => {
    const pair = (reference: 'switchyard' | 'baseline' | 'floor' | 'portkey', compared: 'switchyard-redis' | 'switchyard-traced' | 'switchyard', a: number, b: number, mode: 'json' | 'stream' = 'json') => ({
      kind: 'measured' as const,
      reference,
      compared,
      mode,
      rounds: 4,
      order: 'A B B A A B B A',
      roundSeconds: 3,
      rps: { reference: a, compared: b },
      rpsRounds: { reference: [a, a, a, a], compared: [b, b, b, b] },
      cpuPer10k: { reference: 3, compared: 3.2 },
    });
    // The sequential rows of a run where redis trails memory by 13%: the pair (96%) decides.
    const slow = benchRun([measuredSystem('switchyard', 15_000, 220, 700, 250, 80), measuredSystem('switchyard-redis', 13_000, 230, 720, 260, 95)], {
      pairs: [pair('switchyard', 'switchyard-redis', 10_000, 9_600)],
    });
    const v = evaluateTargets(slow).find((x) => x.target.startsWith('Shared state in Redis'));
    assert.ok(v !== undefined);
    assert.equal(v.verdict, 'pass');
    assert.match(v.detail, /96\.0% \(side by side, median of 4 alternating rounds each\)/);
    // And the other way: a pair below the bar fails a target the sequential rows would pass.
    const costly = goodRun({ pairs: [pair('switchyard', 'switchyard-traced', 10_000, 8_000)] });
    assert.equal(verdictOf(costly, 'Tracing every request'), 'fail');
    const md = renderReport(costly);
    assert.match(md, /## Paired comparisons/);
    assert.match(md, /\| switchyard \| switchyard-traced \| json \| 10000 \| 8000 \| 0\.800 \|/);
    // Issue 16's shares of the floor and ratio to Portkey read their pairs too, streaming from the streaming pair.
    const paired16 = goodRun({ pairs: [pair('floor', 'switchyard', 10_000, 7_000), pair('floor', 'switchyard', 10_000, 6_600, 'stream'), pair('portkey', 'switchyard', 1_000, 9_000)] });
    assert.equal(verdictOf(paired16, 'Small JSON c64'), 'fail');
    assert.equal(verdictOf(paired16, 'Streaming c64'), 'pass');
    assert.equal(verdictOf(paired16, 'switchyard / portkey'), 'fail');
    assert.match(evaluateTargets(paired16).find((x) => x.target.startsWith('Streaming c64'))?.detail ?? '', /66\.0% \(side by side/);
    // The 1 MB targets read the long-1mb pair over the sequential rows (which fail here), p50 from the rounds' medians.
    const floor1m = longRow('floor', 'same-format', 1024, 400, 19_000, 100);
    const slowRows = { longPrompts: [floor1m, longRow('switchyard', 'same-format', 1024, 300, 22_000, 170)] };
    const long = (a: number, b: number, p50a: number, p50b: number) => ({ ...pair('floor', 'switchyard', a, b), mode: 'long-1mb' as const, p50Us: { reference: p50a, compared: p50b } });
    const pairedLong = goodRun({ ...slowRows, pairs: [long(300, 270, 20_000, 21_500)] });
    assert.equal(verdictOf(pairedLong, 'Long prompt 1 MB same-format ≥ 85%'), 'pass');
    assert.equal(verdictOf(pairedLong, 'Long prompt 1 MB same-format p50'), 'pass');
    assert.match(evaluateTargets(pairedLong).find((x) => x.target.startsWith('Long prompt 1 MB same-format p50'))?.detail ?? '', /\+1\.50 ms \(side by side/);
    assert.equal(verdictOf(goodRun({ pairs: [long(300, 240, 20_000, 22_500)] }), 'Long prompt 1 MB same-format ≥ 85%'), 'fail');
    assert.equal(verdictOf(goodRun({ pairs: [long(300, 240, 20_000, 22_500)] }), 'Long prompt 1 MB same-format p50'), 'fail');
    // Peak RSS stays with the fresh process of the sequential rows.
    assert.equal(verdictOf(pairedLong, 'Peak RSS at c8'), 'fail');
    assert.match(renderReport(pairedLong), /\| floor \| switchyard \| long-1mb \| 300 \| 270 \| 0\.900 \|.*\(median p50 20000 µs; 21500 µs\)/);
    // The c1 target reads the c1-json pair's p50 medians over the sequential probes.
    const c1 = (p50a: number, p50b: number) => ({ ...pair('floor', 'switchyard', 3000, 2800), mode: 'c1-json' as const, p50Us: { reference: p50a, compared: p50b } });
    assert.equal(verdictOf(goodRun({ pairs: [c1(300, 330)] }), 'c1 JSON p50'), 'pass');
    assert.match(evaluateTargets(goodRun({ pairs: [c1(300, 330)] })).find((x) => x.target.startsWith('c1 JSON p50'))?.detail ?? '', /\+30 µs \(side by side/);
    assert.equal(verdictOf(goodRun({ pairs: [c1(300, 350)] }), 'c1 JSON p50'), 'fail');
  });
  it('judges shared state in Redis against memory mode in the same run', () => {
    assert.equal(verdictOf(goodRun(), 'Shared state in Redis'), 'pass');
    const slow = benchRun([measuredSystem('switchyard', 15_000, 220, 700, 250, 80), measuredSystem('switchyard-redis', 13_000, 230, 720, 260, 95)]);
    assert.equal(verdictOf(slow, 'Shared state in Redis'), 'fail');
    assert.equal(verdictOf(benchRun([measuredSystem('switchyard', 15_000, 220, 700, 250, 80)]), 'Shared state in Redis'), 'not-measured');
  });
  it('judges the cost of metrics against the baseline and of tracing against plain switchyard', () => {
    const costly = goodRun({
      systems: [
        measuredSystem('direct', 20_000, 100, 200, 100, 0),
        measuredSystem('baseline', 16_000, 215, 690, 245, 78),
        measuredSystem('switchyard', 15_000, 220, 700, 250, 80),
        measuredSystem('switchyard-traced', 12_000, 260, 800, 290, 95),
      ],
    });
    assert.equal(verdictOf(goodRun(), 'Metrics cost'), 'pass');
    assert.equal(verdictOf(goodRun(), 'Tracing every request'), 'pass');
    assert.equal(verdictOf(costly, 'Metrics cost'), 'fail', '15,000 / 16,000 is below 95%');
    assert.equal(verdictOf(costly, 'Tracing every request'), 'fail', '12,000 / 15,000 is below 85%');
    const plain = goodRun({ systems: goodRun().systems.filter((s) => s.name !== 'baseline' && s.name !== 'switchyard-traced') });
    assert.equal(verdictOf(plain, 'Metrics cost'), 'not-measured');
    assert.equal(verdictOf(plain, 'Tracing every request'), 'not-measured');
  });
  it('judges the decision path by its slowest case', () => {
    const fast = goodRun({ micro: { kind: 'measured', cases: [{ name: 'a', nsPerOp: 300 }, { name: 'b', nsPerOp: 900 }] } });
    const slow = goodRun({ micro: { kind: 'measured', cases: [{ name: 'a', nsPerOp: 300 }, { name: 'b', nsPerOp: 6000 }] } });
    assert.equal(verdictOf(fast, 'Decision path'), 'pass');
    assert.equal(verdictOf(slow, 'Decision path'), 'fail');
  });
});

describe('report', () => {
  it('states machine facts, pinning, ratios and a line per target', () => {
    const md = renderReport(goodRun());
    assert.match(md, /2 cores, Test CPU/);
    assert.match(md, /Node: v20\.0\.0/);
    assert.match(md, /system under test on cpu 1/);
    assert.match(md, /\| req\/s, c64 non-streaming \| 15\.00 \| 0\.94 \|/);
    assert.match(md, /PASS: Throughput c64 JSON ≥ 10× portkey: 15\.00×/);
    assert.match(md, /\| switchyard \| 220 \| 700 \| 700 \| \+120 \| \+500 \| \+20 \| 100 \|/);
    assert.equal((md.match(/^- (PASS|FAIL|NOT MEASURED): /gm) ?? []).length, evaluateTargets(goodRun()).length);
    assert.match(md, /## Shared state: Redis against memory/);
    assert.match(md, /\| req\/s, c64 non-streaming \| 15000 \| 14000 \| 0\.933 \|/);
  });
  it('says which systems were not available or broken, and when cores were not pinned', () => {
    const md = renderReport(
      benchRun(
        [
          measuredSystem('direct', 20_000, 100, 200, 100, 0),
          { kind: 'not-available', name: 'switchyard', reason: 'CLI missing' },
          { kind: 'broken', name: 'portkey', reason: 'status 500' },
        ],
        { pin: { kind: 'unpinned', reason: 'taskset not found' } },
      ),
    );
    assert.match(md, /\*\*switchyard\*\*: not available: CLI missing/);
    assert.match(md, /\*\*portkey\*\*: BROKEN, not timed: status 500/);
    assert.match(md, /NOT pinned: taskset not found/);
  });
});
