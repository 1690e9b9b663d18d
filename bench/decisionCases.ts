// The failover decision path, timed per operation: classification of an
// outcome, candidate selection, block-state lookups, and one whole "429 →
// where next?" decision as a request makes it (fresh state included).
import { loadConfigText } from '../src/config/load.js';
import type { Config } from '../src/config/types.js';
import { LayeredBlockView } from '../src/failover/blockView.js';
import { classifyOutcome } from '../src/failover/classify.js';
import { decideNext } from '../src/failover/decide.js';
import { selectFirstTarget } from '../src/failover/firstTarget.js';
import { selectNextCandidate } from '../src/failover/candidates.js';
import type { AttemptOutcome } from '../src/failover/outcome.js';
import { createRetryState, recordFailure } from '../src/failover/retryState.js';
import { MemoryBlockStore } from '../src/state/memoryBlockStore.js';
import type { MicroCase } from './micro.js';

const YAML = `version: v0.4.0
model_providers:
  - model: openai/gpt-4o
    base_url: http://127.0.0.1:1
    default: true
    retry_policy:
      fallback_models: [anthropic/claude-sonnet-4-5]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 2
        - codes: ["500-504"]
          strategy: same_provider
          max_attempts: 1
      on_timeout: {strategy: different_provider, max_attempts: 1}
  - model: openai/gpt-4o-mini
    base_url: http://127.0.0.1:1
  - model: anthropic/claude-sonnet-4-5
    base_url: http://127.0.0.1:1
  - model: mistral/mistral-large
    base_url: http://127.0.0.1:1
`;

function benchConfig(): Config {
  const loaded = loadConfigText(YAML, '<bench>', {});
  if (!loaded.ok) throw new Error(`bench config invalid: ${loaded.issues.map((i) => i.message).join('; ')}`);
  return loaded.config;
}

export function decisionCases(): MicroCase[] {
  const config = benchConfig();
  const primary = config.providers[0]!;
  const policy = primary.retryPolicy!;
  const blocks = new MemoryBlockStore();
  // A realistic store: a few unrelated blocks alongside the ones consulted.
  blocks.block('model:mistral/mistral-large', Date.now() + 60_000, { cause: 'retry-after', status: 429 });
  const view = new LayeredBlockView(blocks);
  const outcome429: AttemptOutcome = { kind: 'http-error', status: 429, body: '{"error":{"message":"slow down"}}' };
  const rng = (): number => 0.5;
  return [
    { name: 'classify http 429', run: () => classifyOutcome(outcome429, policy).rule },
    { name: 'block lookup (unblocked model)', run: () => view.blockedUntil(primary, Date.now()) },
    { name: 'first target (primary not blocked)', run: () => selectFirstTarget(primary, policy, config.providers, view, Date.now()) },
    {
      name: 'next candidate (different_provider)',
      run: () => selectNextCandidate(primary, primary, 'different_provider', policy, config.providers, [primary], view, Date.now()),
    },
    {
      name: 'whole decision: first target + 429 + classify + decideNext (fresh state)',
      run: () => {
        const now = Date.now();
        // As a request does it: a view of the shared store of its own.
        const first = selectFirstTarget(primary, policy, config.providers, new LayeredBlockView(blocks), now);
        const state = createRetryState({ policy, primary, providers: config.providers, globalBlocks: blocks, deadlineMs: now + 30_000 });
        const target = first.kind === 'target' ? first.target : primary;
        recordFailure(state, target, 1, outcome429, now);
        return decideNext(state, target, classifyOutcome(outcome429, policy).rule, now, rng);
      },
    },
  ];
}
