// Ids in the shapes OpenAI uses: a prefix and random hex. The gateway mints
// the id of every response it serves, whichever provider answered, so that an
// id a client holds always names the gateway's own record.
import { randomBytes } from 'node:crypto';

/** `resp_` followed by 48 hex digits, as long as OpenAI's own. */
export const newResponseId = (): string => `resp_${randomBytes(24).toString('hex')}`;

/** An output item id: `msg_…`, `fc_…`, `ctc_…`. */
export const newItemId = (prefix: 'msg' | 'fc' | 'ctc'): string => `${prefix}_${randomBytes(16).toString('hex')}`;
