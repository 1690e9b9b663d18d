// A gateway in front of one OpenAI-format and one Anthropic-format mock
// provider, with both official SDKs pointed at it. The SDK tests run the same
// cases against each provider format by picking the model.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startMockProvider, type MockFormat, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

export interface ProviderTarget {
  readonly format: MockFormat;
  /** The model name clients ask the gateway for. */
  readonly model: string;
  /** The model id the provider receives. */
  readonly upstreamModel: string;
  readonly accessKey: string;
}

export const TARGETS: readonly ProviderTarget[] = [
  { format: 'openai', model: 'openai/gpt-4o', upstreamModel: 'gpt-4o', accessKey: 'sk-upstream-openai' },
  { format: 'anthropic', model: 'anthropic/claude-sonnet-4-6', upstreamModel: 'claude-sonnet-4-6', accessKey: 'sk-upstream-anthropic' },
];

export interface SdkRig {
  readonly gw: TestGateway;
  readonly mocks: Readonly<Record<MockFormat, MockProvider>>;
  readonly openai: OpenAI;
  readonly anthropic: Anthropic;
  close(): Promise<void>;
}

/** Both SDKs against a gateway; retries are off so each call is one request. */
export function sdkClients(gatewayUrl: string): { openai: OpenAI; anthropic: Anthropic } {
  return {
    openai: new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'sk-client', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: gatewayUrl, apiKey: 'sk-client', maxRetries: 0 }),
  };
}

export function listenerYaml(): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: sdk
    port: 0
    timeout: 10s
`;
}

export async function startSdkRig(): Promise<SdkRig> {
  const openaiMock = await startMockProvider('openai', 'openai-mock');
  const anthropicMock = await startMockProvider('anthropic', 'anthropic-mock');
  const urls: Record<MockFormat, string> = { openai: openaiMock.url, anthropic: anthropicMock.url };
  const entries = TARGETS.map((t) => `  - model: ${t.model}\n    base_url: ${urls[t.format]}\n    access_key: ${t.accessKey}\n`).join('');
  const gw = await startTestGateway(`${listenerYaml()}model_providers:\n${entries}`);
  return {
    gw,
    mocks: { openai: openaiMock, anthropic: anthropicMock },
    ...sdkClients(gw.url),
    close: async () => {
      await gw.close();
      await Promise.all([openaiMock.close(), anthropicMock.close()]);
    },
  };
}

export const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
} as const;

export const timeTool = {
  name: 'get_time',
  description: 'Local time in a time zone',
  parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
} as const;
