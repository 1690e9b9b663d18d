import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UpstreamEndpoint } from '../../src/providers/endpoint.js';
import { upstreamPath } from '../../src/providers/upstreamRequest.js';

const endpoint = (chatPath: string, query = ''): UpstreamEndpoint => ({ format: 'openai', origin: 'http://x', chatPath, query, auth: 'bearer', responsesPath: undefined });

describe('upstreamPath', () => {
  it('is the chat path alone when the client sent no query', () => {
    assert.equal(upstreamPath(endpoint('/v1/chat/completions'), '', 'openai'), '/v1/chat/completions');
  });

  it('keeps the client query byte for byte', () => {
    assert.equal(upstreamPath(endpoint('/v1/chat/completions'), 'trace=1&tag=a%20b', 'openai'), '/v1/chat/completions?trace=1&tag=a%20b');
  });

  it("merges with the target's own query, whose parameters win", () => {
    const azure = endpoint('/openai/deployments/d/chat/completions', '?api-version=2024-10-21');
    assert.equal(upstreamPath(azure, 'api-version=1999&x=1', 'openai'), '/openai/deployments/d/chat/completions?api-version=2024-10-21&x=1');
  });

  it("drops the client's query for a target of another format, where it means nothing", () => {
    assert.equal(upstreamPath(endpoint('/v1/chat/completions'), 'beta=true', 'anthropic'), '/v1/chat/completions');
    const azure = endpoint('/openai/deployments/d/chat/completions', '?api-version=2024-10-21');
    assert.equal(upstreamPath(azure, 'beta=true', 'anthropic'), '/openai/deployments/d/chat/completions?api-version=2024-10-21');
  });

  it('appends a sub-resource to the chat path, before the query', () => {
    const messages: UpstreamEndpoint = { format: 'anthropic', origin: 'http://x', chatPath: '/v1/messages', responsesPath: undefined, query: '', auth: 'x-api-key' };
    assert.equal(upstreamPath(messages, 'beta=true', 'anthropic', '/count_tokens'), '/v1/messages/count_tokens?beta=true');
  });
});
