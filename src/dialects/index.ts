// The dialects module's public surface: wire types, SSE, stream events, translation, errors.
export type * from './openai/types.js';
export type * from './anthropic/types.js';
export type * from './responses/types.js';
export { SseParser, type SseEvent } from './sse/parser.js';
export { endsWithEventBoundary, lastEventBoundary } from './sse/boundary.js';
export { formatSse } from './sse/format.js';
export { isJsonObject } from './sse/jsonData.js';
export type { WireFormat } from './wireFormat.js';
export type { TranslationTarget } from './translationTarget.js';
export { DROPPED_HEADER, droppedHeaderValue, NO_DROPPED_HINTS, type DroppedHints, type RequestTranslation, type TranslationMode } from './translationLoss.js';
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
export type { StreamTranslatorOptions } from './translate/stream/index.js';
export { countPromptTokens } from './tokens/promptTokens.js';
export { encodingFor, loadEncoding } from './tokens/encodings.js';
export { estimateInputTokens } from './tokens/estimate.js';
export { acceptsUnsignedThinking, mayHoldUnsignedThinking, withoutUnsignedThinking } from './translate/reasoning.js';
export { responsesToChatRequest, responsesToMessagesRequest } from './translate/request/fromResponses.js';
export { checkResponsesRequest } from './responses/validate.js';
export { chatToResponse } from './translate/response/toResponses.js';
export { ResponsesStreamSequencer } from './translate/stream/toResponses.js';
export { ResponsesStreamView } from './responses/streamView.js';
export { NativeResponsesRelay } from './responses/nativeRelay.js';
export { asGatewayResponse, type ResponseFrame } from './responses/shell.js';
export { newResponseId } from './responses/ids.js';
export { toolNamesOf, type ToolNames } from './translate/responsesToolNames.js';
export type { ResponsesContext } from './translate/responsesContext.js';
export {
  classifyResponsesEvent,
  readResponsesEvent,
  writeResponsesEvent,
  type ResponsesEvent,
} from './responses/events.js';
