// The one name for an API's wire format, on both sides of an exchange: the
// format a client spoke, and the format a provider speaks upstream.
// `openai` is Chat Completions, `anthropic` the Messages API and `responses`
// OpenAI's Responses API.
export type WireFormat = 'openai' | 'anthropic' | 'responses';

/**
 * The format a provider entry is configured with (its prefix or
 * provider_interface). An entry may serve `responses` too (endpoint.ts).
 */
export type EntryFormat = Exclude<WireFormat, 'responses'>;
