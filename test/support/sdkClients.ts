// The official SDKs as clients of a test gateway, and the listener YAML that
// such gateways share.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

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
