// The dialects module's public surface: wire types, SSE, translation, errors.
export type * from './openai/types.js';
export type * from './anthropic/types.js';
export { SseParser, type SseEvent } from './sse/parser.js';
export { formatSse, formatSseJson } from './sse/format.js';
export type { Translation } from './translation.js';
export type { WireFormat } from './wireFormat.js';
export type { TranslationTarget } from './translationTarget.js';
export { DROPPED_HEADER, droppedHeaderValue, NO_DROPPED_HINTS, type DroppedHints, type TranslationMode } from './translationLoss.js';
export { openAIToAnthropicRequest, wantsStreamUsage, DEFAULT_MAX_TOKENS } from './translate/request/fromOpenAI.js';
export { anthropicToOpenAIRequest } from './translate/request/fromAnthropic.js';
export { anthropicToOpenAIResponse } from './translate/response/toOpenAI.js';
export { openAIToAnthropicResponse } from './translate/response/toAnthropic.js';
export { createStreamTranslator, type StreamRelay, type StreamTranslator, type StreamTranslatorOptions } from './translate/stream/index.js';
export { toClientError, gatewayError, untranslatableFieldError, anthropicErrorType, readUpstreamError } from './errors.js';
export { readOpenAIEvent, type OpenAISignal } from './translate/stream/openAISignals.js';
export { readAnthropicEvent, type AnthropicSignal } from './translate/stream/anthropicSignals.js';
