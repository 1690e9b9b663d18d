// A complete (non-streaming) answer from a provider of the other wire format,
// translated for the client. Same-format answers are never touched.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { AnthropicResponse, OpenAIResponse } from '../dialects/index.js';
import { anthropicToOpenAIResponse, openAIToAnthropicResponse } from '../dialects/index.js';
import type { Answer } from './answer.js';

export function translateCompleteAnswer(answer: Extract<Answer, { kind: 'complete' }>, from: WireFormat, to: WireFormat): Answer {
  if (from === to) return answer;
  const parsed = JSON.parse(answer.body.toString('utf8')) as unknown;
  const out = to === 'openai' ? anthropicToOpenAIResponse(parsed as AnthropicResponse) : openAIToAnthropicResponse(parsed as OpenAIResponse);
  const body = Buffer.from(JSON.stringify(out));
  const headers: IncomingHttpHeaders = { ...answer.headers, 'content-type': 'application/json', 'content-length': String(body.length) };
  return { kind: 'complete', status: answer.status, headers, body, facts: answer.facts };
}
