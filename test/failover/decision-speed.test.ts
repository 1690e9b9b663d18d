import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globalView } from '../../src/failover/block-view.js';
import { classify } from '../../src/failover/classify.js';
import { decideNext } from '../../src/failover/decide.js';
import { selectFirstTarget } from '../../src/failover/first-target.js';
import { createRetryState, recordFailure } from '../../src/failover/retry-state.js';
import type { AttemptOutcome } from '../../src/failover/outcome.js';
import type { ModelProvider } from '../../src/config/types.js';
import { MemoryBlockStore } from '../../src/state/memory-block-store.js';
import { policy, providers, statusRule } from './fixtures.js';

// A guard, not a benchmark: the decision path must stay far below 5 µs. The
// bound is generous so a busy CI machine does not make it flaky.
describe('decision path speed', () => {
  it('first target + classify + decideNext stay well under 5 µs per request', () => {
    const pol = policy({
      fallbackModels: ['mistral/m1', 'anthropic/c1'],
      statusRules: [statusRule(0, [429], 'different_provider', 2), statusRule(1, [[502, 504]], 'same_provider', 1)],
    });
    const models = ['openai/a', 'openai/b', 'mistral/m1', 'anthropic/c1', 'anthropic/c2', 'groq/g', 'xai/x', 'deepseek/d'];
    const list = providers(models, pol);
    const primary = list[0] as ModelProvider;
    const blocks = new MemoryBlockStore();
    blocks.block('model:mistral/m1', Number.MAX_SAFE_INTEGER, { cause: 'high-latency' });
    const view = globalView(blocks);
    const outcome: AttemptOutcome = { kind: 'http-error', status: 429, body: '' };
    const rng = (): number => 0.5;

    const run = (n: number): number => {
      const start = process.hrtime.bigint();
      let sink = 0;
      for (let i = 0; i < n; i++) {
        const now = 1_000 + i;
        const first = selectFirstTarget(primary, pol, list, view, now);
        if (first.kind !== 'target') throw new Error('unexpected');
        const state = createRetryState({ policy: pol, primary, providers: list, globalBlocks: blocks, deadlineMs: now + 30_000 });
        recordFailure(state, first.target, 1, outcome, now);
        const d = decideNext(state, first.target, classify(outcome, pol), now, rng);
        if (d.kind === 'retry') sink += d.target.index;
      }
      assert.ok(sink > 0);
      return Number(process.hrtime.bigint() - start) / n / 1000;
    };
    run(20_000);
    const perRequestUs = Math.min(run(50_000), run(50_000));
    assert.ok(perRequestUs < 5, `${perRequestUs.toFixed(3)} µs per decision path`);
    console.log(`decision path: ${perRequestUs.toFixed(3)} µs (incl. a fresh RetryState)`);
  });
});
