// The soak's pure parts: the chaos mix, how a reply is judged, and the RSS trend.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FALLBACK_MIX, pickChaos } from '../../bench/soak/chaosUpstream.js';
import { seededRandom } from '../../bench/seededRandom.js';
import { classifyReply } from '../../bench/soak/classifyReply.js';
import { assessRss } from '../../bench/soak/rssTrend.js';

describe('chaos mix', () => {
  it('maps draws to 10% 429, 5% 503, 2% resets, 1% stalls, 82% answers', () => {
    assert.equal(pickChaos(0), 'rate-limited');
    assert.equal(pickChaos(0.0999), 'rate-limited');
    assert.equal(pickChaos(0.1), 'unavailable');
    assert.equal(pickChaos(0.1499), 'unavailable');
    assert.equal(pickChaos(0.15), 'reset');
    assert.equal(pickChaos(0.17), 'stall');
    assert.equal(pickChaos(0.18), 'ok');
    assert.equal(pickChaos(0.9999), 'ok');
  });

  it("the fallbacks' mix: 0.5% 503, 0.5% resets, no stalls", () => {
    assert.equal(pickChaos(0, FALLBACK_MIX), 'unavailable');
    assert.equal(pickChaos(0.0049, FALLBACK_MIX), 'unavailable');
    assert.equal(pickChaos(0.005, FALLBACK_MIX), 'reset');
    assert.equal(pickChaos(0.01, FALLBACK_MIX), 'ok');
    assert.ok(!FALLBACK_MIX.some((m) => m.outcome === 'stall' || m.outcome === 'rate-limited'));
  });

  it('hits those shares over many seeded draws', () => {
    const random = seededRandom(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const o = pickChaos(random());
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    for (const [o, share] of [['rate-limited', 0.1], ['unavailable', 0.05], ['reset', 0.02], ['stall', 0.01], ['ok', 0.82]] as const) {
      assert.ok(Math.abs((counts.get(o) ?? 0) / 100_000 - share) < 0.005, `${o}: ${counts.get(o)}`);
    }
  });
});

describe('classifyReply', () => {
  const base = { dialect: 'openai', stream: false, status: 200, body: '{"choices":[]}', failure: undefined } as const;

  it('counts complete answers and streams as success', () => {
    assert.deepEqual(classifyReply(base), { kind: 'success' });
    assert.deepEqual(classifyReply({ ...base, stream: true, body: 'data: {}\n\ndata: [DONE]\n\n' }), { kind: 'success' });
    assert.deepEqual(classifyReply({ ...base, dialect: 'anthropic', body: '{"content":[]}' }), { kind: 'success' });
    assert.deepEqual(classifyReply({ ...base, dialect: 'anthropic', stream: true, body: 'event: message_stop\ndata: {}\n\n' }), { kind: 'success' });
  });

  it('counts dialect-shaped 4xx/5xx bodies as well-formed errors', () => {
    assert.deepEqual(classifyReply({ ...base, status: 429, body: '{"error":{"message":"x"}}' }), { kind: 'error', status: 429 });
    assert.deepEqual(classifyReply({ ...base, dialect: 'anthropic', status: 502, body: '{"type":"error","error":{"message":"x"}}' }), { kind: 'error', status: 502 });
  });

  it('counts everything else as unanswered', () => {
    for (const r of [
      { ...base, status: undefined, failure: 'ECONNRESET' },
      { ...base, stream: true, body: 'data: {}\n\n', failure: 'terminated' },
      { ...base, stream: true, body: 'data: {}\n\n' },
      { ...base, body: '<html>' },
      { ...base, status: 502, body: '<html>' },
      { ...base, dialect: 'anthropic', status: 500, body: '{"error":{"message":"x"}}' },
    ] as const) {
      assert.equal(classifyReply(r).kind, 'unanswered', JSON.stringify(r));
    }
  });
});

describe('assessRss', () => {
  const series = (values: readonly number[]) => values.map((rssBytes, i) => ({ atMs: i * 1000, rssBytes }));

  it('ignores warm-up and the sawtooth, and passes a flat series', () => {
    const t = assessRss(series([10, 50, 100, 120, 100, 120, 100, 120, 100, 120, 100, 120]), 2000);
    assert.equal(t.flat, true);
    assert.ok(Math.abs(t.growthPct) < 10);
    assert.equal(t.min, 100);
    assert.equal(t.max, 120);
  });

  it('fails a steady climb of more than 10%', () => {
    const t = assessRss(series([100, 100, 100, 104, 108, 112, 116, 120, 124, 128]), 2000);
    assert.equal(t.flat, false);
    assert.ok(t.growthPct > 10);
  });

  it('cannot judge fewer than three samples', () => {
    assert.equal(assessRss(series([1, 2, 3]), 2000).flat, false);
  });
});
