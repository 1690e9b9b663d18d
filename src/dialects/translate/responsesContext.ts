// What translating answers for one Responses client needs, fixed when the
// request arrives: the Response's frame (the gateway's id, the request echoed)
// and the names its tools were offered under on a Chat Completions target.
import type { ResponseFrame } from '../responses/shell.js';
import type { ToolNames } from './responsesToolNames.js';

export interface ResponsesContext {
  readonly frame: ResponseFrame;
  readonly names: ToolNames;
}
