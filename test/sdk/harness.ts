// A gateway in front of one OpenAI-format and one Anthropic-format mock
// provider, with both official SDKs pointed at it. The SDK tests run the same
// cases against each provider format by picking the model.
import type OpenAI from 'openai';
import type Anthropic from '@anthropic-ai/sdk';
import { startMockProvider, type MockFormat, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml, sdkClients } from '../support/sdkClients.js';

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
