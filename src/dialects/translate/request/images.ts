// Image references: OpenAI carries a URL (http(s) or a data: URL), Anthropic a
// source that is either a URL or base64 bytes with a media type.
import type { AnthropicImageSource } from '../../anthropic/types.js';

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

export function imageUrlToAnthropicSource(url: string): AnthropicImageSource | undefined {
  const data = DATA_URL.exec(url);
  if (data) return { type: 'base64', media_type: data[1] as string, data: data[2] as string };
  if (/^https?:\/\//i.test(url)) return { type: 'url', url };
  return undefined;
}

export function anthropicSourceToImageUrl(source: AnthropicImageSource): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}
