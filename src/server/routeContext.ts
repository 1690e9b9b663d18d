// What the listener hands every route handler about the request it accepted.
import type { ClientIdentity } from './clientAuth.js';

export interface RouteContext {
  readonly requestId: string;
  /** The query string without "?", split off the path once here. */
  readonly query: string;
  readonly ready: boolean;
  readonly identity: ClientIdentity;
  /** performance.now() when the request reached the listener. */
  readonly startedAt: number;
  /** The path, without its query. */
  readonly path: string;
}
