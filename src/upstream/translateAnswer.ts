// A complete (non-streaming) answer, made the client's: translated when the
// provider spoke another format, untouched when it spoke the client's. A
// Responses client's answer is always rewritten: it carries the gateway's id.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { AnthropicResponse, OpenAIResponse, ResponsesContext } from '../dialects/index.js';
import { anthropicToOpenAIResponse, asGatewayResponse, chatToResponse, openAIToAnthropicResponse } from '../dialects/index.js';
import type { Answer } from './answer.js';

type Complete = Extract<Answer, { kind: 'complete' }>;

function withBody(answer: Complete, out: unknown): Answer {
  const body = Buffer.from(JSON.stringify(out));
  const headers: IncomingHttpHeaders = { ...answer.headers, 'content-type': 'application/json', 'content-length': String(body.length) };
  return { kind: 'complete', status: answer.status, headers, body, facts: answer.facts };
}

function toResponses(answer: Complete, from: WireFormat, ctx: ResponsesContext): Answer {
  const parsed = JSON.parse(answer.body.toString('utf8')) as unknown;
  if (from === 'responses') return withBody(answer, asGatewayResponse(parsed, ctx.frame));
  const chat = from === 'anthropic' ? anthropicToOpenAIResponse(parsed as AnthropicResponse) : (parsed as OpenAIResponse);
  return withBody(answer, chatToResponse(chat, ctx.frame, ctx.names));
}

/** `thinkingBlocks`: an Anthropic client that takes reasoning as unsigned thinking blocks. */
export function translateCompleteAnswer(answer: Complete, from: WireFormat, to: WireFormat, responses: ResponsesContext | undefined, thinkingBlocks = false): Answer {
  if (to === 'responses') {
    if (responses === undefined) throw new Error('a Responses answer needs its context');
    return toResponses(answer, from, responses);
  }
  if (from === to) return answer;
  const parsed = JSON.parse(answer.body.toString('utf8')) as unknown;
  return withBody(answer, to === 'openai' ? anthropicToOpenAIResponse(parsed as AnthropicResponse) : openAIToAnthropicResponse(parsed as OpenAIResponse, { thinkingBlocks }));
}
