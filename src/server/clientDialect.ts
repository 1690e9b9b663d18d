/** The API a client spoke: OpenAI Chat Completions or Anthropic Messages. */
export type ClientDialect = 'openai' | 'anthropic';
