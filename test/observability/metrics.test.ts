// /metrics of a real gateway process while real failovers happen: each
// scenario is bracketed by two scrapes, both parsed by the strict exposition
// parser, and every counter and histogram family must move by exactly what the
// scenario explains (the listed series by their amounts, nothing else at all).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { parseExposition, sampleValue, type Family } from '../support/promText.js';
import { closeMocks, SCENARIOS, scenarioYaml, startGatewayProcess, startMocks, type GatewayProcess, type Mocks, type Reply, type Scenario } from './scenarios.js';

type Labels = Readonly<Record<string, string>>;
type Scrape = Map<string, Family>;

async function scrape(url: string): Promise<Scrape> {
  const res = await request(`${url}/metrics`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.body.text());
}

/** Every sample of `name` added up, whatever its labels. */
function total(s: Scrape, name: string): number {
  let sum = 0;
  for (const f of s.values()) for (const x of f.samples) if (x.name === name) sum += x.value;
  return sum;
}

const COUNTERS = [
  'switchyard_requests_total',
  'switchyard_upstream_attempts_total',
  'switchyard_failovers_total',
  'switchyard_same_model_retries_total',
  'switchyard_retries_exhausted_total',
  'switchyard_blocks_written_total',
  'switchyard_circuit_transitions_total',
  'switchyard_stream_recoveries_total',
  'switchyard_stream_guard_expiries_total',
  'switchyard_config_reloads_total',
] as const;

/** Histograms, by their _count and _sum samples. */
const HISTOGRAMS = [
  'switchyard_request_duration_seconds',
  'switchyard_gateway_overhead_seconds',
  'switchyard_upstream_time_to_first_byte_seconds',
  'gen_ai_client_operation_time_to_first_chunk_seconds',
  'gen_ai_client_token_usage',
] as const;

interface Expected {
  /** [counter, labels, by how much]. */
  readonly counters: readonly [(typeof COUNTERS)[number], Labels, number][];
  /** [histogram, labels, how many more observations, by how much their sum grew (when exact)]. */
  readonly histograms: readonly [(typeof HISTOGRAMS)[number], Labels, number, number?][];
}

function expectMoves(before: Scrape, after: Scrape, expected: Expected): void {
  for (const [name, labels, by] of expected.counters) {
    assert.equal(sampleValue(after, name, labels) - sampleValue(before, name, labels), by, `${name} ${JSON.stringify(labels)}`);
  }
  for (const name of COUNTERS) {
    const explained = expected.counters.filter(([n]) => n === name).reduce((a, [, , by]) => a + by, 0);
    assert.equal(total(after, name) - total(before, name), explained, `${name}: only the expected series moved`);
  }
  for (const [name, labels, count, sum] of expected.histograms) {
    assert.equal(sampleValue(after, `${name}_count`, labels) - sampleValue(before, `${name}_count`, labels), count, `${name}_count ${JSON.stringify(labels)}`);
    if (sum !== undefined) assert.equal(sampleValue(after, `${name}_sum`, labels) - sampleValue(before, `${name}_sum`, labels), sum, `${name}_sum ${JSON.stringify(labels)}`);
  }
  for (const name of HISTOGRAMS) {
    const explained = expected.histograms.filter(([n]) => n === name).reduce((a, [, , count]) => a + count, 0);
    assert.equal(total(after, `${name}_count`) - total(before, `${name}_count`), explained, `${name}: only the expected series observed`);
  }
}

const OPENAI = 'openai';
const req = (model: string, status = '200'): Labels => ({ dialect: OPENAI, model, status });
const ok = (model: string): Labels => ({ model, outcome: 'success', error_type: '' });
const failed = (model: string, errorType: string): Labels => ({ model, outcome: 'failure', error_type: errorType });
const tokens = (model: string, type: 'input' | 'output'): Labels => ({ model, gen_ai_token_type: type });

describe('Prometheus metrics of real failovers', () => {
  let mocks: Mocks;
  let gw: GatewayProcess;
  let last: Scrape;

  before(async () => {
    mocks = await startMocks();
    gw = await startGatewayProcess((port) => scenarioYaml(mocks, port));
    last = await scrape(gw.url);
  });
  after(async () => {
    await gw.stop();
    await closeMocks(mocks);
  });

  /** Runs a scenario between two scrapes. */
  async function observe(s: Scenario): Promise<{ before: Scrape; after: Scrape; replies: Reply[] }> {
    const before = last;
    const replies = await s.run(gw.url);
    last = await scrape(gw.url);
    return { before, after: last, replies };
  }

  it('describes the build and the healthy start', () => {
    const info = last.get('switchyard_build_info');
    assert.equal(info?.samples.length, 1);
    assert.match(info.samples[0]?.labels['version'] ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(sampleValue(last, 'switchyard_config_last_reload_successful'), 1);
    assert.equal(sampleValue(last, 'switchyard_retry_gate_capacity'), 1000);
    assert.equal(sampleValue(last, 'switchyard_circuit_state', { model: 'deepseek/flaky', state: 'closed' }), 1);
    assert.ok(last.has('process_cpu_user_seconds_total'), "prom-client's process metrics are there");
  });

  it(SCENARIOS.retryAfter.name, async () => {
    const { before, after, replies } = await observe(SCENARIOS.retryAfter);
    assert.deepEqual(replies.map((r) => [r.status, r.headers['x-switchyard-model']]), [[200, 'mistral/healthy'], [200, 'mistral/healthy']]);
    assert.equal(mocks.limited.requests.length, 1, 'the second request was steered around the block');
    expectMoves(before, after, {
      counters: [
        ['switchyard_requests_total', req('mistral/healthy'), 2],
        ['switchyard_upstream_attempts_total', failed('openai/limited', 'http_429'), 1],
        ['switchyard_upstream_attempts_total', ok('mistral/healthy'), 2],
        ['switchyard_failovers_total', { from: 'openai/limited', to: 'mistral/healthy', rule: 'status[0]', trigger: 'http_429' }, 1],
        ['switchyard_blocks_written_total', { scope: 'model', target: 'openai/limited', cause: 'retry_after', apply_to: 'global' }, 1],
      ],
      histograms: [
        ['switchyard_request_duration_seconds', { dialect: OPENAI, model: 'mistral/healthy' }, 2],
        ['switchyard_gateway_overhead_seconds', { dialect: OPENAI }, 2],
        ['switchyard_upstream_time_to_first_byte_seconds', { model: 'mistral/healthy' }, 2],
        // openAIChatBody reports 5 prompt and 3 completion tokens per answer.
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'input'), 2, 10],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'output'), 2, 6],
      ],
    });
    assert.equal(sampleValue(after, 'switchyard_blocks_active', { model: 'openai/limited', cause: 'retry_after' }), 1);
    assert.equal(sampleValue(after, 'switchyard_blocks_active', { model: 'mistral/healthy', cause: 'retry_after' }), 0);
    const remaining = sampleValue(after, 'switchyard_block_remaining_seconds', { model: 'openai/limited' });
    assert.ok(remaining > 20 && remaining <= 30, `block remaining ${remaining} s`);
  });

  it(SCENARIOS.timeout.name, async () => {
    const { before, after, replies } = await observe(SCENARIOS.timeout);
    assert.equal(replies[0]?.status, 200);
    expectMoves(before, after, {
      counters: [
        ['switchyard_requests_total', req('mistral/healthy'), 1],
        ['switchyard_upstream_attempts_total', failed('groq/silent', 'timeout_first_byte'), 1],
        ['switchyard_upstream_attempts_total', ok('mistral/healthy'), 1],
        ['switchyard_failovers_total', { from: 'groq/silent', to: 'mistral/healthy', rule: 'timeout', trigger: 'timeout_first_byte' }, 1],
      ],
      histograms: [
        ['switchyard_request_duration_seconds', { dialect: OPENAI, model: 'mistral/healthy' }, 1],
        ['switchyard_gateway_overhead_seconds', { dialect: OPENAI }, 1],
        ['switchyard_upstream_time_to_first_byte_seconds', { model: 'mistral/healthy' }, 1],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'input'), 1, 5],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'output'), 1, 3],
      ],
    });
    // The 300 ms the silent provider took is upstream time, not the gateway's own.
    const overhead = sampleValue(after, 'switchyard_gateway_overhead_seconds_sum', { dialect: OPENAI }) - sampleValue(before, 'switchyard_gateway_overhead_seconds_sum', { dialect: OPENAI });
    assert.ok(overhead < 0.25, `overhead ${overhead} s excludes the wait on the silent provider`);
  });

  it(SCENARIOS.continued.name, async () => {
    const { before, after, replies } = await observe(SCENARIOS.continued);
    assert.equal(replies[0]?.status, 200);
    assert.match(replies[0].body, /\[DONE\]/);
    expectMoves(before, after, {
      counters: [
        ['switchyard_requests_total', req('anthropic/continuer'), 1],
        ['switchyard_upstream_attempts_total', ok('anthropic/cutter'), 1],
        ['switchyard_upstream_attempts_total', ok('anthropic/continuer'), 1],
        ['switchyard_failovers_total', { from: 'anthropic/cutter', to: 'anthropic/continuer', rule: 'timeout', trigger: 'connection_reset' }, 1],
        ['switchyard_stream_recoveries_total', { model: 'anthropic/cutter', result: 'continued' }, 1],
      ],
      histograms: [
        ['switchyard_request_duration_seconds', { dialect: OPENAI, model: 'anthropic/continuer' }, 1],
        ['switchyard_gateway_overhead_seconds', { dialect: OPENAI }, 1],
        ['switchyard_upstream_time_to_first_byte_seconds', { model: 'anthropic/cutter' }, 1],
        ['switchyard_upstream_time_to_first_byte_seconds', { model: 'anthropic/continuer' }, 1],
        ['gen_ai_client_operation_time_to_first_chunk_seconds', { model: 'anthropic/cutter' }, 1],
        ['gen_ai_client_operation_time_to_first_chunk_seconds', { model: 'anthropic/continuer' }, 1],
        // The continuing stream's usage: its message_start and message_delta.
        ['gen_ai_client_token_usage', tokens('anthropic/continuer', 'input'), 1, 40],
        ['gen_ai_client_token_usage', tokens('anthropic/continuer', 'output'), 1, 18],
      ],
    });
  });

  it(SCENARIOS.circuit.name, async () => {
    const { before, after, replies } = await observe(SCENARIOS.circuit);
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200]);
    assert.equal(mocks.flaky.requests.length, 2, 'the open circuit kept the third request away');
    expectMoves(before, after, {
      counters: [
        ['switchyard_requests_total', req('mistral/healthy'), 3],
        ['switchyard_upstream_attempts_total', failed('deepseek/flaky', 'http_503'), 2],
        ['switchyard_upstream_attempts_total', ok('mistral/healthy'), 3],
        ['switchyard_failovers_total', { from: 'deepseek/flaky', to: 'mistral/healthy', rule: 'status[0]', trigger: 'http_503' }, 2],
        ['switchyard_circuit_transitions_total', { model: 'deepseek/flaky', state: 'open' }, 1],
        ['switchyard_blocks_written_total', { scope: 'model', target: 'deepseek/flaky', cause: 'circuit_open', apply_to: 'global' }, 1],
      ],
      histograms: [
        ['switchyard_request_duration_seconds', { dialect: OPENAI, model: 'mistral/healthy' }, 3],
        ['switchyard_gateway_overhead_seconds', { dialect: OPENAI }, 3],
        ['switchyard_upstream_time_to_first_byte_seconds', { model: 'mistral/healthy' }, 3],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'input'), 3, 15],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'output'), 3, 9],
      ],
    });
    assert.equal(sampleValue(after, 'switchyard_circuit_state', { model: 'deepseek/flaky', state: 'open' }), 1);
    assert.equal(sampleValue(after, 'switchyard_circuit_state', { model: 'deepseek/flaky', state: 'closed' }), 0);
    assert.equal(sampleValue(after, 'switchyard_blocks_active', { model: 'deepseek/flaky', cause: 'circuit_open' }), 1);
  });

  it(SCENARIOS.firstToken.name, async () => {
    const { before, after, replies } = await observe(SCENARIOS.firstToken);
    assert.equal(replies[0]?.status, 200);
    expectMoves(before, after, {
      counters: [
        ['switchyard_requests_total', req('mistral/healthy'), 1],
        ['switchyard_upstream_attempts_total', failed('xai/mute', 'timeout_first_token'), 1],
        ['switchyard_upstream_attempts_total', ok('mistral/healthy'), 1],
        ['switchyard_failovers_total', { from: 'xai/mute', to: 'mistral/healthy', rule: 'timeout', trigger: 'timeout_first_token' }, 1],
        ['switchyard_stream_guard_expiries_total', { model: 'xai/mute', guard: 'first_token' }, 1],
      ],
      histograms: [
        ['switchyard_request_duration_seconds', { dialect: OPENAI, model: 'mistral/healthy' }, 1],
        ['switchyard_gateway_overhead_seconds', { dialect: OPENAI }, 1],
        ['switchyard_upstream_time_to_first_byte_seconds', { model: 'mistral/healthy' }, 1],
        ['gen_ai_client_operation_time_to_first_chunk_seconds', { model: 'mistral/healthy' }, 1],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'input'), 1, 7],
        ['gen_ai_client_token_usage', tokens('mistral/healthy', 'output'), 1, 2],
      ],
    });
  });

  it('counts a rejected and an applied reload', async () => {
    const before = last;
    const good = scenarioYaml(mocks, Number(new URL(gw.url).port));
    const waitFor = async (text: string, seen: number): Promise<void> => {
      for (let i = 0; i < 100 && gw.run.stdout.split(text).length - 1 <= seen; i++) await sleep(50);
      assert.ok(gw.run.stdout.split(text).length - 1 > seen, `log line "${text}"`);
    };
    writeFileSync(gw.configPath, `${good}\nnot: [valid`);
    gw.run.child.kill('SIGHUP');
    await waitFor('reload rejected', 0);
    const rejected = await scrape(gw.url);
    assert.equal(sampleValue(rejected, 'switchyard_config_last_reload_successful'), 0);
    writeFileSync(gw.configPath, good);
    gw.run.child.kill('SIGHUP');
    await waitFor('config reloaded', 0);
    last = await scrape(gw.url);
    expectMoves(before, last, {
      counters: [
        ['switchyard_config_reloads_total', { result: 'failure' }, 1],
        ['switchyard_config_reloads_total', { result: 'success' }, 1],
      ],
      histograms: [],
    });
    assert.equal(sampleValue(last, 'switchyard_config_last_reload_successful'), 1);
    // State carries over a reload: the block and the open circuit are still reported.
    assert.equal(sampleValue(last, 'switchyard_blocks_active', { model: 'openai/limited', cause: 'retry_after' }), 1);
    assert.equal(sampleValue(last, 'switchyard_circuit_state', { model: 'deepseek/flaky', state: 'open' }), 1);
  });
});
