// Where and how one provider entry is reached: the registry's answer for its
// prefix, base_url and provider_interface.
import type { EntryFormat } from '../dialects/wireFormat.js';

/** Where and how to reach a provider, resolved from its prefix, base_url and provider_interface. */
export interface UpstreamEndpoint {
  readonly format: EntryFormat;
  /** scheme://host[:port], no trailing slash. */
  readonly origin: string;
  /** Full request path for a chat call, e.g. "/v1/chat/completions" or "/v1/messages". */
  readonly chatPath: string;
  /** Query string appended to chatPath, including "?", or "" (e.g. Azure's api-version). */
  readonly query: string;
  readonly auth: 'bearer' | 'x-api-key' | 'api-key';
  /**
   * The entry's own Responses API path ("/v1/responses"): `openai` entries and
   * those with supports_responses. A Responses client's request goes there
   * untranslated; undefined means it is translated to `format`.
   */
  readonly responsesPath: string | undefined;
}
