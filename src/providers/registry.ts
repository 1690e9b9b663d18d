// Provider prefixes and how to reach them. A prefix fixes the wire format, the
// default origin, the path layout and the auth style; base_url and
// provider_interface adjust that for self-hosted or proxied deployments.
import type { EntryFormat } from '../dialects/wireFormat.js';
import type { UpstreamEndpoint } from './endpoint.js';

interface ProviderSpec {
  readonly format: EntryFormat;
  readonly origin: string;
  /** The part of the path that a base_url with a path replaces. */
  readonly pathPrefix: string;
  readonly auth: UpstreamEndpoint['auth'];
  /** Set when the provider needs its own path layout (Azure deployments). */
  readonly layout?: 'azure';
}

const openaiCompatible = (origin: string, pathPrefix: string): ProviderSpec => ({
  format: 'openai',
  origin,
  pathPrefix,
  auth: 'bearer',
});

const KNOWN_PROVIDERS: Readonly<Record<string, ProviderSpec>> = {
  openai: openaiCompatible('https://api.openai.com', '/v1'),
  azure_openai: { format: 'openai', origin: '', pathPrefix: '/openai', auth: 'api-key', layout: 'azure' },
  groq: openaiCompatible('https://api.groq.com', '/openai/v1'),
  mistral: openaiCompatible('https://api.mistral.ai', '/v1'),
  deepseek: openaiCompatible('https://api.deepseek.com', '/v1'),
  xai: openaiCompatible('https://api.x.ai', '/v1'),
  together_ai: openaiCompatible('https://api.together.xyz', '/v1'),
  gemini: openaiCompatible('https://generativelanguage.googleapis.com', '/v1beta/openai'),
  ollama: openaiCompatible('http://127.0.0.1:11434', '/v1'),
  openrouter: openaiCompatible('https://openrouter.ai', '/api/v1'),
  vercel: openaiCompatible('https://ai-gateway.vercel.sh', '/v1'),
  fireworks: openaiCompatible('https://api.fireworks.ai', '/inference/v1'),
  moonshotai: openaiCompatible('https://api.moonshot.ai', '/v1'),
  anthropic: { format: 'anthropic', origin: 'https://api.anthropic.com', pathPrefix: '/v1', auth: 'x-api-key' },
};

/** Plano's provider_interface values mapped to the wire format they imply. */
const INTERFACE_FORMATS: Readonly<Record<string, EntryFormat>> = {
  openai: 'openai',
  claude: 'anthropic',
  anthropic: 'anthropic',
  deepseek: 'openai',
  groq: 'openai',
  mistral: 'openai',
  xiaomi: 'openai',
  gemini: 'openai',
  chatgpt: 'openai',
  digitalocean: 'openai',
  vercel: 'openai',
  openrouter: 'openai',
  plano: 'openai',
};

export const AZURE_API_VERSION = '2024-10-21';

export const knownProviderPrefixes = (): readonly string[] => Object.keys(KNOWN_PROVIDERS);
export const providerInterfaces = (): readonly string[] => Object.keys(INTERFACE_FORMATS);

export interface EndpointInput {
  readonly prefix: string;
  readonly modelId: string;
  readonly baseUrl: string | undefined;
  readonly providerInterface: string | undefined;
  /** supports_responses: undefined means only OpenAI itself (the `openai` prefix) serves /responses. */
  readonly supportsResponses?: boolean | undefined;
}

export type EndpointResult =
  | { readonly ok: true; readonly endpoint: UpstreamEndpoint }
  | { readonly ok: false; readonly field: 'base_url' | 'provider_interface' | 'model'; readonly message: string };

interface ParsedBaseUrl {
  readonly origin: string;
  readonly path: string;
}

function parseBaseUrl(raw: string): ParsedBaseUrl | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a valid URL; expected scheme://host[:port][/path]`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `scheme "${url.protocol.replace(':', '')}" is not supported; use http or https`;
  }
  if (url.search || url.hash) return `"${raw}" must not carry a query or fragment`;
  if (url.username || url.password) return `"${raw}" must not embed credentials; use access_key`;
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
}

function chatSuffix(format: EntryFormat): string {
  return format === 'anthropic' ? '/messages' : '/chat/completions';
}

/** Resolves one provider entry to a concrete endpoint, or says which field is wrong. */
export function resolveEndpoint(input: EndpointInput): EndpointResult {
  const known = KNOWN_PROVIDERS[input.prefix];
  let format: EntryFormat;
  if (input.providerInterface !== undefined) {
    const f = INTERFACE_FORMATS[input.providerInterface];
    if (f === undefined) {
      return { ok: false, field: 'provider_interface', message: `unknown provider_interface "${input.providerInterface}"` };
    }
    format = f;
  } else if (known) {
    format = known.format;
  } else if (input.baseUrl !== undefined) {
    return {
      ok: false,
      field: 'provider_interface',
      message:
        `provider prefix "${input.prefix}" is not built in, so provider_interface is required to say which API it speaks ` +
        '(openai for OpenAI-compatible servers, anthropic for the Messages API)',
    };
  } else {
    return {
      ok: false,
      field: 'model',
      message:
        `unknown provider prefix "${input.prefix}": set base_url and provider_interface for a self-hosted or unlisted provider ` +
        `(known prefixes: ${knownProviderPrefixes().join(', ')})`,
    };
  }

  const base = input.baseUrl === undefined ? undefined : parseBaseUrl(input.baseUrl);
  if (typeof base === 'string') return { ok: false, field: 'base_url', message: base };
  if (!known && base === undefined) {
    return { ok: false, field: 'base_url', message: `provider prefix "${input.prefix}" is not built in, so base_url is required` };
  }
  const origin = base?.origin ?? known?.origin ?? '';
  // Azure has no shared host: each resource has its own, with or without provider_interface.
  if (origin === '') {
    return { ok: false, field: 'base_url', message: `${input.prefix} needs base_url (https://RESOURCE.openai.azure.com)` };
  }

  if (known?.layout === 'azure' && input.providerInterface === undefined && base !== undefined) {
    const prefix = base.path === '' ? known.pathPrefix : base.path;
    return {
      ok: true,
      endpoint: {
        format: 'openai',
        origin,
        chatPath: `${prefix}/deployments/${encodeURIComponent(input.modelId)}/chat/completions`,
        query: `?api-version=${AZURE_API_VERSION}`,
        auth: 'api-key',
        // Azure's Responses API lives under another path and API version; not offered natively.
        responsesPath: undefined,
      },
    };
  }

  // A base_url with a path replaces the default path prefix; without one the
  // provider's own prefix applies ("/v1" for an unlisted OpenAI-compatible server).
  const defaultPrefix = known && (known.format === format) ? known.pathPrefix : '/v1';
  const pathPrefix = base !== undefined && base.path !== '' ? base.path : defaultPrefix;
  return {
    ok: true,
    endpoint: {
      format,
      origin,
      chatPath: pathPrefix + chatSuffix(format),
      query: '',
      auth: format === 'anthropic' ? 'x-api-key' : 'bearer',
      responsesPath: format === 'openai' && (input.supportsResponses ?? input.prefix === 'openai') ? `${pathPrefix}/responses` : undefined,
    },
  };
}
