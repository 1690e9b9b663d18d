// The one name for an API's wire format, on both sides of an exchange: the
// format a client spoke, and the format a provider speaks upstream.
export type WireFormat = 'openai' | 'anthropic';
