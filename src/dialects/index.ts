// The dialects module's public surface: wire types, SSE, stream events, translation, errors.
export type * from './openai/types.js';
export type * from './anthropic/types.js';
export { SseParser, type SseEvent } from './sse/parser.js';
export { formatSse } from './sse/format.js';
export { isJsonObject } from './sse/jsonData.js';
export type { WireFormat } from './wireFormat.js';
export type { EventClass } from './eventClass.js';
export { classifyEvent, isContentEvent } from './streamEvents.js';
export {
  OPENAI_DONE,
  chunkChoice,
  chunkDelta,
  classifyOpenAIEvent,
  finishReason,
  readOpenAIEvent,
  toolCallDeltas,
  writeOpenAIEvent,
  type OpenAIEvent,
} from './openai/events.js';
export {
  anthropicEvent,
  blockIndex,
  classifyAnthropicEvent,
  partOf,
  readAnthropicEvent,
  writeAnthropicEvent,
  type AnthropicEvent,
} from './anthropic/events.js';
export { openAIToAnthropicRequest, wantsStreamUsage, DEFAULT_MAX_TOKENS } from './translate/request/fromOpenAI.js';
export { anthropicToOpenAIRequest } from './translate/request/fromAnthropic.js';
export { anthropicToOpenAIResponse } from './translate/response/toOpenAI.js';
export { openAIToAnthropicResponse } from './translate/response/toAnthropic.js';
export { createStreamTranslator } from './translate/stream/index.js';
