// An azure_openai entry, end to end: the request reaches the provider at the
// deployment path with the api-version query and the api-key header, from
// either kind of client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AZURE_API_VERSION } from '../../src/providers/registry.js';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml, sdkClients } from '../support/sdkClients.js';

describe('azure_openai through the gateway', () => {
  let azure: MockProvider;
  let gw: TestGateway;
  before(async () => {
    azure = await startMockProvider('openai', 'azure-mock');
    gw = await startTestGateway(`${listenerYaml()}model_providers:
  - model: azure_openai/my-gpt4o
    base_url: ${azure.url}
    access_key: azure-secret
`);
  });
  after(async () => {
    await gw.close();
    await azure.close();
  });

  function assertAzureRequest(): void {
    const seen = azure.last();
    assert.equal(seen.status, 200);
    assert.equal(seen.path, '/openai/deployments/my-gpt4o/chat/completions');
    assert.deepEqual([...seen.query], [['api-version', AZURE_API_VERSION]]);
    assert.equal(seen.headers['api-key'], 'azure-secret');
    assert.equal(seen.headers['authorization'], undefined);
    assert.equal(seen.body.model, 'my-gpt4o');
  }

  it('an OpenAI client reaches the deployment, streaming or not', async () => {
    const { openai } = sdkClients(gw.url);
    azure.reply({ kind: 'answer', text: 'From Azure.' });
    const res = await openai.chat.completions.create({ model: 'azure_openai/my-gpt4o', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.choices[0]!.message.content, 'From Azure.');
    assertAzureRequest();

    azure.reply({ kind: 'answer', text: 'Streamed from Azure.' });
    const final = await openai.chat.completions.stream({ model: 'my-gpt4o', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion();
    assert.equal(final.choices[0]!.message.content, 'Streamed from Azure.');
    assertAzureRequest();
  });

  it('an Anthropic client is translated to the deployment', async () => {
    const { anthropic } = sdkClients(gw.url);
    azure.reply({ kind: 'answer', text: 'Translated from Azure.' });
    const res = await anthropic.messages.create({ model: 'azure_openai/my-gpt4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(res.content, [{ type: 'text', text: 'Translated from Azure.' }]);
    assertAzureRequest();
  });
});
