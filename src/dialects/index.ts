// The dialects module's public surface: wire types, SSE, stream events, translation, errors.
export type * from './openai/types.js';
export type * from './anthropic/types.js';
export { SseParser, type SseEvent } from './sse/parser.js';
export { formatSse, formatSseJson } from './sse/format.js';
export { isJsonObject } from './sse/jsonData.js';
export type { Translation } from './translation.js';
export type { WireFormat } from './wireFormat.js';
export type { EventClass } from './eventClass.js';
export { classifyEvent, isContentEvent } from './streamEvents.js';
export { choiceZero } from './openai/choiceZero.js';
export {
  OPENAI_DONE,
  chunkChoice,
  chunkDelta,
  classifyOpenAIEvent,
  classifyOpenAISse,
  finishReason,
  isOpenAIContentEvent,
  readOpenAIEvent,
  toolCallDeltas,
  writeOpenAIEvent,
  type OpenAIErrorPayload,
  type OpenAIEvent,
} from './openai/events.js';
export {
  anthropicEvent,
  anthropicEventType,
  classifyAnthropicEvent,
  classifyAnthropicSse,
  isAnthropicContentEvent,
  partOf,
  readAnthropicEvent,
  writeAnthropicEvent,
  type AnthropicEvent,
  type AnthropicPart,
} from './anthropic/events.js';
export { openAIToAnthropicRequest, wantsStreamUsage, DEFAULT_MAX_TOKENS } from './translate/request/fromOpenAI.js';
export { anthropicToOpenAIRequest, type AnthropicToOpenAIOptions } from './translate/request/fromAnthropic.js';
export { anthropicToOpenAIResponse } from './translate/response/toOpenAI.js';
export { openAIToAnthropicResponse } from './translate/response/toAnthropic.js';
export { createStreamTranslator, type StreamRelay, type StreamTranslator, type StreamTranslatorOptions } from './translate/stream/index.js';
export { toClientError, gatewayError, untranslatableFieldError, anthropicErrorType, readUpstreamError } from './errors.js';
export { openAISignals, type OpenAISignal } from './translate/stream/openAISignals.js';
export { anthropicSignal, type AnthropicSignal } from './translate/stream/anthropicSignals.js';
