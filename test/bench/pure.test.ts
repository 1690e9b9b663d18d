import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarize } from '../../bench/percentiles.js';
import { parseCpuList, parseStat, parseStatusBytes } from '../../bench/procStat.js';
import { planPinning, pinnedCommand } from '../../bench/pinning.js';
import { parseRunArgs } from '../../bench/cliArgs.js';

describe('percentiles', () => {
  it('uses nearest rank over unsorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    const s = summarize(samples);
    assert.equal(s.count, 100);
    assert.equal(s.p50, 50);
    assert.equal(s.p99, 99);
    assert.equal(s.max, 100);
    assert.equal(s.mean, 50.5);
  });
  it('reports NaN for no samples instead of inventing a number', () => {
    assert.ok(Number.isNaN(summarize([]).p50));
    assert.equal(percentile([7], 99), 7);
  });
});

describe('proc parsing', () => {
  it('reads ppid and utime+stime even when comm holds spaces and parentheses', () => {
    const stat = '4242 (node (bench) x) S 17 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 11 0 12345 1000000 5000';
    assert.deepEqual(parseStat(stat), { ppid: 17, cpuTicks: 325 });
    assert.equal(parseStat('garbage'), undefined);
  });
  it('reads VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    assert.equal(parseStatusBytes(status, 'VmRSS'), 100 * 1024 * 1024);
    assert.equal(parseStatusBytes(status, 'VmHWM'), 200 * 1024 * 1024);
    assert.equal(parseStatusBytes('Name: x\n', 'VmRSS'), undefined);
  });
  it('expands cpu lists', () => {
    assert.deepEqual(parseCpuList('0-2,5\n'), [0, 1, 2, 5]);
    assert.deepEqual(parseCpuList('3'), [3]);
  });
});

describe('pinning plan', () => {
  it('gives the load generator the first half of the allowed cpus', () => {
    assert.deepEqual(planPinning([0, 1], true), { kind: 'pinned', loadCpus: '0', systemCpus: '1' });
    assert.deepEqual(planPinning([2, 3, 4, 5], true), { kind: 'pinned', loadCpus: '2,3', systemCpus: '4,5' });
  });
  it('records why it could not pin', () => {
    assert.equal(planPinning([0], true).kind, 'unpinned');
    assert.deepEqual(planPinning([0, 1], false), { kind: 'unpinned', reason: 'taskset not found' });
  });
  it('wraps commands with taskset only when pinned', () => {
    const plan = planPinning([0, 1], true);
    assert.deepEqual(pinnedCommand(plan, 'system', 'node', ['x.js']), { command: 'taskset', args: ['-c', '1', 'node', 'x.js'] });
    assert.deepEqual(pinnedCommand({ kind: 'unpinned', reason: 'r' }, 'system', 'node', ['x.js']), { command: 'node', args: ['x.js'] });
  });
});

describe('runner arguments', () => {
  it('parses every option', () => {
    const parsed = parseRunArgs(['--quick', '--no-pin', '--soak', '60', '--duration', '3', '--only', 'direct,floor', '--out', '/tmp/x.md', '--baseline', '../before', '--parts', 'long,open', '--no-tail']);
    assert.deepEqual(parsed, {
      ok: true,
      options: { quick: true, pin: false, soakS: 60, loadDurationS: 3, only: ['direct', 'floor'], out: '/tmp/x.md', baseline: '../before', parts: ['long', 'open'], tail: false },
    });
    const defaults = parseRunArgs([]);
    assert.deepEqual(defaults.ok ? [defaults.options.parts, defaults.options.tail] : undefined, [['main', 'pairs', 'long', 'open'], true]);
  });
  it('rejects unknown systems and arguments', () => {
    assert.equal(parseRunArgs(['--only', 'litellm']).ok, false);
    assert.equal(parseRunArgs(['--fast']).ok, false);
    assert.equal(parseRunArgs(['--parts', 'main,huge']).ok, false);
    assert.equal(parseRunArgs(['--soak', 'x']).ok, false);
  });
});
