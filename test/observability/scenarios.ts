// The failovers the observability tests watch, run through a real gateway
// process against real loopback mocks: a 429 with Retry-After, a first-byte
// timeout, a stream cut after its commit point and continued elsewhere, a
// circuit that opens, and a stream whose first token never comes. The metrics
// test and the trace test run the same ones.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { openAIChatBody, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { freePort, runCli, waitForHealthy, type CliRun } from '../support/process.js';
import { anthropicFrames, canonicalTokens, continuesFromPrefill, openAIFrames } from '../support/streamMocks.js';

const TOKENS = canonicalTokens(30);
export const CANONICAL = TOKENS.join('');

export interface Mocks {
  readonly limited: MockUpstream;
  readonly healthy: MockUpstream;
  readonly silent: MockUpstream;
  readonly cutter: MockUpstream;
  readonly continuer: MockUpstream;
  readonly flaky: MockUpstream;
  readonly mute: MockUpstream;
}

export async function startMocks(): Promise<Mocks> {
  return {
    limited: await startMockUpstream({ kind: 'json', status: 429, body: { error: { message: 'rate limited', type: 'rate_limit_error' } }, headers: { 'retry-after': '30' } }),
    healthy: await startMockUpstream((r) =>
      r.body.includes('"stream":true')
        ? { kind: 'sse', frames: openAIFrames(['healthy ', 'answer'], { usage: { input: 7, output: 2 } }) }
        : { kind: 'json', status: 200, body: openAIChatBody('healthy answer') },
    ),
    silent: await startMockUpstream({ kind: 'hang' }),
    cutter: await startMockUpstream({ kind: 'sse', frames: anthropicFrames(TOKENS.slice(0, 12), { open: true }), end: 'cut' }),
    continuer: await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic', { usage: { input: 40, output: 18 } })),
    flaky: await startMockUpstream({ kind: 'json', status: 503, body: { error: { message: 'unavailable' } } }),
    mute: await startMockUpstream({ kind: 'sse', frames: openAIFrames(['never']), headersFirst: true, firstDelayMs: 10_000 }),
  };
}

export async function closeMocks(m: Mocks): Promise<void> {
  await Promise.all(Object.values(m).map((x: MockUpstream) => x.close()));
}

/** Keys long enough to be redacted, so a leak would show as the literal. */
export const KEYS = { primary: 'sk-obs-primary-key-0123456789', other: 'sk-obs-other-key-0123456789' } as const;

export function scenarioYaml(m: Mocks, port: number, extra = ''): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: obs
    address: 127.0.0.1
    port: ${port}
    timeout: 10s
model_providers:
  - model: openai/limited
    base_url: ${m.limited.url}
    access_key: ${KEYS.primary}
    default: true
    retry_policy:
      fallback_models: [mistral/healthy]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 1
  - model: mistral/healthy
    base_url: ${m.healthy.url}
    access_key: ${KEYS.other}
  - model: groq/silent
    base_url: ${m.silent.url}
    access_key: ${KEYS.other}
    first_byte_timeout_ms: 300
    retry_policy:
      fallback_models: [mistral/healthy]
      on_timeout: { strategy: different_provider, max_attempts: 1 }
  - model: anthropic/cutter
    base_url: ${m.cutter.url}
    access_key: ${KEYS.other}
    retry_policy:
      fallback_models: [anthropic/continuer]
      on_timeout: { strategy: same_provider, max_attempts: 1 }
  - model: anthropic/continuer
    base_url: ${m.continuer.url}
    access_key: ${KEYS.other}
  - model: deepseek/flaky
    base_url: ${m.flaky.url}
    access_key: ${KEYS.other}
    retry_policy:
      fallback_models: [mistral/healthy]
      on_status_codes:
        - codes: [503]
          strategy: different_provider
          max_attempts: 1
      circuit_breaker: { failure_threshold: 2, open_seconds: 30, max_open_seconds: 30 }
  - model: xai/mute
    base_url: ${m.mute.url}
    access_key: ${KEYS.other}
    first_token_timeout_ms: 300
    retry_policy:
      fallback_models: [mistral/healthy]
      on_timeout: { strategy: different_provider, max_attempts: 1 }
${extra}`;
}

/** A W3C trace context the client starts: the gateway's spans must continue it. */
export interface ClientTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly header: string;
}

export function newClientTrace(): ClientTrace {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly trace: ClientTrace;
}

export async function chat(url: string, model: string, stream: boolean, headers: Record<string, string> = {}): Promise<Reply> {
  const trace = newClientTrace();
  const res = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: trace.header, ...headers },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'tell me the canonical answer' }], max_tokens: 64 }),
  });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers, trace };
}

export interface Scenario {
  readonly name: string;
  /** The requests it makes, in order. */
  run(url: string, headers?: Record<string, string>): Promise<Reply[]>;
}

export const SCENARIOS: Readonly<Record<'retryAfter' | 'timeout' | 'continued' | 'circuit' | 'firstToken', Scenario>> = {
  retryAfter: {
    name: '429 with Retry-After, then a request steered around the block',
    run: async (url, headers) => [await chat(url, 'openai/limited', false, headers), await chat(url, 'openai/limited', false, headers)],
  },
  timeout: {
    name: 'a first-byte timeout fails over',
    run: async (url, headers) => [await chat(url, 'groq/silent', false, headers)],
  },
  continued: {
    name: 'a stream cut after its commit point continues on a fallback',
    run: async (url, headers) => [await chat(url, 'anthropic/cutter', true, headers)],
  },
  circuit: {
    name: 'two 503s open a circuit, and the next request skips it',
    run: async (url, headers) => [
      await chat(url, 'deepseek/flaky', false, headers),
      await chat(url, 'deepseek/flaky', false, headers),
      await chat(url, 'deepseek/flaky', false, headers),
    ],
  },
  firstToken: {
    name: 'a stream whose first token never comes fails over',
    run: async (url, headers) => [await chat(url, 'xai/mute', true, headers)],
  },
};

export interface GatewayProcess {
  readonly url: string;
  readonly run: CliRun;
  readonly configPath: string;
  stop(): Promise<number | null>;
}

/** `switchyard up <file> --foreground` in a child process, with `env` on top of PATH and HOME. */
export async function startGatewayProcess(yamlFor: (port: number) => string, env: NodeJS.ProcessEnv = {}, tries = 3): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-obs-'));
  const port = await freePort();
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, yamlFor(port));
  const run = runCli(['up', configPath, '--foreground'], { env: { SWITCHYARD_HOME: dir, ...env } });
  const url = `http://127.0.0.1:${port}`;
  const exited = run.exited.then(() => 'exited' as const);
  try {
    // A process that exits at once (its port taken meanwhile by someone else) need not be waited for.
    const first = await Promise.race([waitForHealthy(`${url}/healthz`).then(() => 'healthy' as const), exited]);
    if (first === 'exited') throw new Error(`the gateway exited before it was healthy`);
  } catch (err) {
    run.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    // The free port was taken between finding it and listening on it: another try, on another port.
    if (run.stderr.includes('EADDRINUSE') && tries > 1) return startGatewayProcess(yamlFor, env, tries - 1);
    throw new Error(`${String(err)}\n${run.stdout}\n${run.stderr}`, { cause: err });
  }
  return {
    url,
    run,
    configPath,
    stop: async () => {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      const code = await run.exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
