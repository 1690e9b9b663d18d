// What the listener hands every route handler about the request it accepted.
import type { AccessNotes } from '../observability/accessLog.js';
import type { ClientIdentity } from './clientAuth.js';

export interface RouteContext {
  readonly requestId: string;
  /** The query string without "?", split off the path once here. */
  readonly query: string;
  readonly ready: boolean;
  readonly identity: ClientIdentity;
  /** What the handler learns for the access log line. */
  readonly access: AccessNotes;
  /** performance.now() when the request reached the listener. */
  readonly startedAt: number;
  /** The path, without its query. */
  readonly path: string;
}
