// OpenAI Responses API wire types (POST /v1/responses), hand-written from the
// public API reference. Only what the gateway reads or writes is typed; the
// native passthrough forwards everything else untouched, and the translators
// see unknown fields through Object.keys.

export interface ResponsesInputText {
  type: 'input_text';
  text: string;
}

export interface ResponsesInputImage {
  type: 'input_image';
  /** An http(s) URL or a base64 data: URL. */
  image_url?: string | null;
  file_id?: string | null;
  detail?: 'low' | 'high' | 'auto';
}

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}

export interface ResponsesRefusal {
  type: 'refusal';
  refusal: string;
}

/** input_file and input_audio exist too; translators refuse them by `type`. */
export type ResponsesContentPart = ResponsesInputText | ResponsesInputImage | ResponsesOutputText | ResponsesRefusal;

export type ResponsesRole = 'user' | 'assistant' | 'system' | 'developer';

/** A message item; `type` may be left out of input messages ("easy" input messages). */
export interface ResponsesMessageItem {
  type?: 'message';
  id?: string;
  role: ResponsesRole;
  content: string | ResponsesContentPart[];
  status?: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponsesFunctionCallItem {
  type: 'function_call';
  id?: string;
  call_id: string;
  name: string;
  /** A JSON document as a string; models may emit invalid JSON. */
  arguments: string;
  /** Set by Codex for a function offered inside a namespace tool. */
  namespace?: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  id?: string;
  call_id: string;
  output: string | ResponsesContentPart[];
}

export interface ResponsesCustomToolCallItem {
  type: 'custom_tool_call';
  id?: string;
  call_id: string;
  name: string;
  input: string;
  namespace?: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponsesCustomToolCallOutputItem {
  type: 'custom_tool_call_output';
  id?: string;
  call_id: string;
  output: string | ResponsesContentPart[];
}

export interface ResponsesReasoningItem {
  type: 'reasoning';
  id: string;
  summary: Array<{ type: 'summary_text'; text: string }>;
  encrypted_content?: string | null;
}

/** Tools offered from inside the input (Codex sends its tools this way for some models). */
export interface ResponsesAdditionalToolsItem {
  type: 'additional_tools';
  id?: string;
  role?: string;
  tools: ResponsesTool[];
}

/** Any other item (web_search_call, item_reference, mcp_call, …), kept as sent. */
export interface ResponsesOtherItem {
  type: string;
  id?: string;
  [key: string]: unknown;
}

export type ResponsesItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesCustomToolCallItem
  | ResponsesCustomToolCallOutputItem
  | ResponsesReasoningItem
  | ResponsesAdditionalToolsItem;

export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

/** A freeform tool: the model answers with text, optionally constrained by a grammar. */
export interface ResponsesCustomTool {
  type: 'custom';
  name: string;
  description?: string;
  format?: { type: 'text' } | { type: 'grammar'; syntax: string; definition: string };
}

/** A group of functions under one name (Codex's multi_agent_v1, functions, clock…). */
export interface ResponsesNamespaceTool {
  type: 'namespace';
  name: string;
  description?: string;
  tools: Array<ResponsesFunctionTool | ResponsesCustomTool>;
}

/** Built-in tools (web_search, file_search, code_interpreter, …), executed by OpenAI. */
export interface ResponsesBuiltInTool {
  type: string;
  [key: string]: unknown;
}

export type ResponsesTool = ResponsesFunctionTool | ResponsesCustomTool | ResponsesNamespaceTool | ResponsesBuiltInTool;

export type ResponsesToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; name: string; namespace?: string }
  | { type: 'custom'; name: string; namespace?: string }
  | { type: string; [key: string]: unknown };

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; description?: string; strict?: boolean | null };

export interface ResponsesRequest {
  model?: string;
  input?: string | ResponsesItem[];
  instructions?: string | null;
  tools?: ResponsesTool[];
  tool_choice?: ResponsesToolChoice | null;
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  text?: { format?: ResponsesTextFormat; verbosity?: string | null } | null;
  reasoning?: { effort?: string | null; summary?: string | null; [key: string]: unknown } | null;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  previous_response_id?: string | null;
  stream?: boolean | null;
  include?: string[] | null;
  prompt_cache_key?: string;
  user?: string;
  safety_identifier?: string;
  background?: boolean | null;
  [key: string]: unknown;
}

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponsesOutputMessage {
  type: 'message';
  id: string;
  role: 'assistant';
  status: 'in_progress' | 'completed' | 'incomplete';
  content: Array<ResponsesOutputText | ResponsesRefusal>;
}

export interface ResponsesOutputFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  namespace?: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponsesOutputCustomToolCall {
  type: 'custom_tool_call';
  id: string;
  call_id: string;
  name: string;
  input: string;
  namespace?: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

/** What a translated answer can contain; a native answer may hold any item type. */
export type ResponsesOutputItem = ResponsesOutputMessage | ResponsesOutputFunctionCall | ResponsesOutputCustomToolCall;

export type ResponsesStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress' | 'queued' | 'cancelled';

export interface ResponsesError {
  code: string;
  message: string;
}

export interface ResponsesObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  error: ResponsesError | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: Array<ResponsesOutputItem | ResponsesOtherItem>;
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number | null;
  text: { format: ResponsesTextFormat };
  tool_choice: ResponsesToolChoice;
  tools: ResponsesTool[];
  top_p: number | null;
  truncation: 'auto' | 'disabled';
  usage: ResponsesUsage | null;
  metadata: Record<string, string>;
  [key: string]: unknown;
}
