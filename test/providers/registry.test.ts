// The provider registry: every built-in prefix resolves to its documented
// wire format, URL and auth style; base_url and provider_interface adjust
// that; anything the registry cannot place is a config error naming the field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AZURE_API_VERSION, knownProviderPrefixes, resolveEndpoint, type EndpointResult } from '../../src/providers/registry.js';
import { upstreamHeaders } from '../../src/upstream/headers.js';
import { loadConfigText } from '../../src/config/load.js';
import type { UpstreamEndpoint } from '../../src/providers/endpoint.js';
import { loadTestConfig } from '../support/gateway.js';

function resolve(prefix: string, modelId = 'some-model', baseUrl?: string, providerInterface?: string): EndpointResult {
  return resolveEndpoint({ prefix, modelId, baseUrl, providerInterface });
}

function endpoint(...args: Parameters<typeof resolve>): UpstreamEndpoint {
  const r = resolve(...args);
  assert.ok(r.ok, r.ok ? '' : `${r.field}: ${r.message}`);
  return r.endpoint;
}

const url = (e: UpstreamEndpoint): string => e.origin + e.chatPath + e.query;

/** Each built-in prefix with its documented chat URL and auth style. */
const BUILT_IN: ReadonlyArray<readonly [prefix: string, chatUrl: string, auth: UpstreamEndpoint['auth']]> = [
  ['openai', 'https://api.openai.com/v1/chat/completions', 'bearer'],
  ['groq', 'https://api.groq.com/openai/v1/chat/completions', 'bearer'],
  ['mistral', 'https://api.mistral.ai/v1/chat/completions', 'bearer'],
  ['deepseek', 'https://api.deepseek.com/v1/chat/completions', 'bearer'],
  ['xai', 'https://api.x.ai/v1/chat/completions', 'bearer'],
  ['together_ai', 'https://api.together.xyz/v1/chat/completions', 'bearer'],
  ['gemini', 'https://generativelanguage.googleapis.com/v1beta/openai/chat/completions', 'bearer'],
  ['ollama', 'http://127.0.0.1:11434/v1/chat/completions', 'bearer'],
  ['openrouter', 'https://openrouter.ai/api/v1/chat/completions', 'bearer'],
  ['vercel', 'https://ai-gateway.vercel.sh/v1/chat/completions', 'bearer'],
  ['fireworks', 'https://api.fireworks.ai/inference/v1/chat/completions', 'bearer'],
  ['moonshotai', 'https://api.moonshot.ai/v1/chat/completions', 'bearer'],
  ['anthropic', 'https://api.anthropic.com/v1/messages', 'x-api-key'],
];

describe('provider registry: built-in prefixes', () => {
  for (const [prefix, chatUrl, auth] of BUILT_IN) {
    it(`${prefix} → ${chatUrl} (${auth})`, () => {
      const e = endpoint(prefix);
      assert.equal(url(e), chatUrl);
      assert.equal(e.auth, auth);
      assert.equal(e.format, prefix === 'anthropic' ? 'anthropic' : 'openai');
    });
  }

  it('covers every prefix the registry knows (azure_openai separately)', () => {
    assert.deepEqual([...knownProviderPrefixes()].sort(), [...BUILT_IN.map(([p]) => p), 'azure_openai'].sort());
  });

  it('azure_openai: deployment path from the model id, api-version query, api-key auth', () => {
    const e = endpoint('azure_openai', 'my-gpt4o', 'https://contoso.openai.azure.com');
    assert.equal(url(e), `https://contoso.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=${AZURE_API_VERSION}`);
    assert.equal(e.auth, 'api-key');
    assert.equal(e.format, 'openai');
    // A deployment name is a path segment, never a path.
    assert.equal(endpoint('azure_openai', 'a/b c', 'https://contoso.openai.azure.com').chatPath, '/openai/deployments/a%2Fb%20c/chat/completions');
    // A base_url path replaces the /openai prefix (an API gateway in front of Azure).
    assert.equal(endpoint('azure_openai', 'd1', 'https://apim.example.com/azure/').chatPath, '/azure/deployments/d1/chat/completions');
  });

  it('azure_openai needs base_url (the resource has no shared default host), even with provider_interface', () => {
    for (const iface of [undefined, 'openai']) {
      const r = resolve('azure_openai', 'd1', undefined, iface);
      assert.ok(!r.ok, String(iface));
      assert.equal(r.field, 'base_url');
      assert.match(r.message, /azure_openai needs base_url/);
    }
  });

  it('azure_openai sends the key as api-key, never as a bearer token', () => {
    const config = loadTestConfig(`version: v0.4.0
model_providers:
  - model: azure_openai/my-gpt4o
    base_url: https://contoso.openai.azure.com
    access_key: azure-secret
`);
    const headers = upstreamHeaders(config.providers[0]!, { forwardable: {}, credentials: { authorization: 'Bearer client' } }, 2);
    assert.equal(headers['api-key'], 'azure-secret');
    assert.equal(headers['authorization'], undefined);
  });
});

describe('provider registry: base_url', () => {
  it('a base_url with a path replaces the default path prefix', () => {
    assert.equal(url(endpoint('groq', 'm', 'https://proxy.example.com/groq-v2')), 'https://proxy.example.com/groq-v2/chat/completions');
    assert.equal(url(endpoint('openai', 'm', 'http://127.0.0.1:8080/custom/v1/')), 'http://127.0.0.1:8080/custom/v1/chat/completions');
    assert.equal(url(endpoint('anthropic', 'm', 'https://llm-proxy.internal/anthropic')), 'https://llm-proxy.internal/anthropic/messages');
  });

  it("a base_url without a path keeps the provider's own prefix", () => {
    assert.equal(url(endpoint('groq', 'm', 'http://127.0.0.1:9000')), 'http://127.0.0.1:9000/openai/v1/chat/completions');
    assert.equal(url(endpoint('gemini', 'm', 'http://127.0.0.1:9000/')), 'http://127.0.0.1:9000/v1beta/openai/chat/completions');
    assert.equal(url(endpoint('anthropic', 'm', 'http://127.0.0.1:9000')), 'http://127.0.0.1:9000/v1/messages');
  });

  it('rejects a base_url that is not a plain http(s) URL, naming base_url', () => {
    for (const [bad, why] of [
      ['not a url', /not a valid URL/],
      ['ftp://example.com', /scheme "ftp" is not supported/],
      ['https://example.com/v1?key=1', /must not carry a query/],
      ['https://user:pw@example.com', /must not embed credentials/],
    ] as const) {
      const r = resolve('openai', 'm', bad);
      assert.ok(!r.ok, bad);
      assert.equal(r.field, 'base_url');
      assert.match(r.message, why);
    }
  });
});

describe('provider registry: self-hosted and unlisted providers', () => {
  it('provider_interface: openai + base_url serves any OpenAI-compatible server (vLLM, llama.cpp, LM Studio)', () => {
    const vllm = endpoint('vllm', 'Qwen/Qwen2.5-7B', 'http://10.0.0.5:8000', 'openai');
    assert.deepEqual(vllm, { format: 'openai', origin: 'http://10.0.0.5:8000', chatPath: '/v1/chat/completions', query: '', auth: 'bearer', responsesPath: undefined });
    assert.equal(url(endpoint('llamacpp', 'm', 'http://127.0.0.1:8080/v1', 'openai')), 'http://127.0.0.1:8080/v1/chat/completions');
    assert.equal(url(endpoint('lmstudio', 'm', 'http://localhost:1234/api/v0', 'openai')), 'http://localhost:1234/api/v0/chat/completions');
  });

  it('provider_interface: claude (or anthropic) makes an unlisted provider speak the Messages API', () => {
    for (const iface of ['claude', 'anthropic']) {
      const e = endpoint('bedrock_proxy', 'claude-x', 'https://claude-proxy.internal', iface);
      assert.deepEqual([e.format, url(e), e.auth], ['anthropic', 'https://claude-proxy.internal/v1/messages', 'x-api-key']);
    }
  });

  it('provider_interface overrides a known prefix’s format (an OpenAI-compatible proxy for Claude)', () => {
    const e = endpoint('anthropic', 'claude-x', 'https://openai-proxy.internal', 'openai');
    assert.deepEqual([e.format, url(e), e.auth], ['openai', 'https://openai-proxy.internal/v1/chat/completions', 'bearer']);
  });

  it('an unknown prefix needs both base_url and provider_interface; the error names what is missing', () => {
    for (const [baseUrl, iface, field, why] of [
      [undefined, undefined, 'model', /unknown provider prefix "acme": set base_url and provider_interface/],
      ['http://127.0.0.1:8000', undefined, 'provider_interface', /"acme" is not built in, so provider_interface is required/],
      [undefined, 'openai', 'base_url', /"acme" is not built in, so base_url is required/],
    ] as const) {
      const r = resolve('acme', 'm1', baseUrl, iface);
      assert.ok(!r.ok);
      assert.equal(r.field, field);
      assert.match(r.message, why);
    }
  });

  it('an unknown provider_interface is an error naming it', () => {
    const r = resolve('openai', 'm', undefined, 'soap');
    assert.ok(!r.ok);
    assert.equal(r.field, 'provider_interface');
    assert.match(r.message, /unknown provider_interface "soap"/);
  });

  it('an unknown prefix stops config loading with the field path and line', () => {
    const r = loadConfigText('version: v0.4.0\nmodel_providers:\n  - model: acme/m1\n    access_key: k\n', 'bad.yaml', {});
    assert.ok(!r.ok);
    const issue = r.issues.find((i) => i.severity === 'error');
    assert.ok(issue);
    assert.equal(issue.path, 'model_providers[0].model');
    assert.match(issue.message, /unknown provider prefix "acme"/);
    assert.equal(issue.line, 3);

    const r2 = loadConfigText('version: v0.4.0\nmodel_providers:\n  - model: acme/m1\n    base_url: http://127.0.0.1:8000\n', 'bad.yaml', {});
    assert.ok(!r2.ok);
    assert.deepEqual(
      r2.issues.filter((i) => i.severity === 'error').map((i) => [i.path, i.line]),
      [['model_providers[0].provider_interface', 3]],
    );
  });
});
