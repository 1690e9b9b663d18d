// A gateway in front of three mock providers, one per way a Responses request
// can be served: natively (an `openai` entry on a Responses API mock),
// translated to Chat Completions (an OpenAI-compatible entry without
// supports_responses), and translated to Messages (an Anthropic entry). The
// official `openai` SDK is the client.
import type OpenAI from 'openai';
import { startMockProvider, type MockProvider, type MockWire } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml, sdkClients } from '../support/sdkClients.js';

export interface ResponsesTarget {
  /** How the gateway serves a Responses request there. */
  readonly way: 'native' | 'chat' | 'messages';
  readonly wire: MockWire;
  readonly model: string;
  readonly upstreamModel: string;
}

export const RESPONSES_TARGETS: readonly ResponsesTarget[] = [
  { way: 'native', wire: 'responses', model: 'openai/gpt-5', upstreamModel: 'gpt-5' },
  { way: 'chat', wire: 'openai', model: 'vllm/qwen3', upstreamModel: 'qwen3' },
  { way: 'messages', wire: 'anthropic', model: 'anthropic/claude-sonnet-4-6', upstreamModel: 'claude-sonnet-4-6' },
];

export interface ResponsesRig {
  readonly gw: TestGateway;
  readonly mocks: Readonly<Record<MockWire, MockProvider>>;
  readonly openai: OpenAI;
  close(): Promise<void>;
}

function entry(t: ResponsesTarget, url: string, extra: string): string {
  const iface = t.way === 'chat' ? '    provider_interface: openai\n' : '';
  return `  - model: ${t.model}\n    base_url: ${url}/v1\n    access_key: sk-upstream-${t.wire}\n${iface}${extra}`;
}

/** `extra` is appended to each entry, indexed by way (retry policies, …); `tail` to the file. */
export async function startResponsesRig(extra: Partial<Record<ResponsesTarget['way'], string>> = {}, tail = ''): Promise<ResponsesRig> {
  const mocks: Record<MockWire, MockProvider> = {
    responses: await startMockProvider('responses', 'native-mock'),
    openai: await startMockProvider('openai', 'chat-mock'),
    anthropic: await startMockProvider('anthropic', 'anthropic-mock'),
  };
  const entries = RESPONSES_TARGETS.map((t) => entry(t, mocks[t.wire].url, extra[t.way] ?? '')).join('');
  const gw = await startTestGateway(`${listenerYaml()}model_providers:\n${entries}${tail}`);
  return {
    gw,
    mocks,
    openai: sdkClients(gw.url).openai,
    close: async () => {
      await gw.close();
      await Promise.all(Object.values(mocks).map((m) => m.close()));
    },
  };
}
