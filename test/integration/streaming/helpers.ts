// Gateways with a primary and a fallback on loopback mocks, and requests in
// either client dialect.
import { request } from 'undici';
import type { TestGateway } from '../../support/gateway.js';

export interface Entry {
  readonly url: string;
  readonly format: 'openai' | 'anthropic';
  /** Extra YAML lines for the entry (indented by the helper). */
  readonly extra?: readonly string[];
}

// Each entry gets its own provider prefix, so different_provider can move between any two.
const OPENAI_MODELS = ['openai/gpt-4o', 'mistral/mistral-large', 'groq/llama-3'] as const;
const modelFor = (e: Entry, i: number): string =>
  e.format === 'openai' ? OPENAI_MODELS[i]! : i === 0 ? 'anthropic/claude-sonnet-4-0' : `acme${i}/claude-fallback`;

/**
 * Primary first (default, with `policy` as its retry_policy lines), then the
 * fallbacks. Two entries of the same format get distinct names.
 */
export function gatewayYaml(primary: Entry, fallbacks: readonly Entry[], policy: readonly string[], timeout = '10s'): string {
  const entry = (e: Entry, i: number, extra: readonly string[]): string[] => [
    `  - model: ${modelFor(e, i)}`,
    `    name: entry${i}`,
    `    base_url: ${e.url}`,
    `    access_key: sk-test-${i}`,
    ...(e.format === 'anthropic' && i > 0 ? ['    provider_interface: anthropic'] : []),
    ...(e.extra ?? []).map((l) => `    ${l}`),
    ...extra,
  ];
  return [
    'version: v0.4.0',
    'listeners:',
    '  - type: model',
    '    name: test',
    '    port: 0',
    `    timeout: ${timeout}`,
    'model_providers:',
    ...entry(primary, 0, ['    default: true', '    retry_policy:', `      fallback_models: [${fallbacks.map((_, i) => `entry${i + 1}`).join(', ')}]`, ...policy.map((l) => `      ${l}`)]),
    ...fallbacks.flatMap((f, i) => entry(f, i + 1, [])),
    '',
  ].join('\n');
}

export interface ClientReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly trailers: Record<string, string | string[] | undefined>;
  readonly ms: number;
}

/** A chat request in the given client dialect, its body read whole. */
export async function ask(gw: TestGateway, dialect: 'openai' | 'anthropic', extra: object = {}): Promise<ClientReply> {
  const started = performance.now();
  const path = dialect === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const body = { model: 'entry0', messages: [{ role: 'user', content: 'tell me the canonical answer' }], max_tokens: 256, ...extra };
  const res = await request(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text, trailers: res.trailers, ms: performance.now() - started };
}
