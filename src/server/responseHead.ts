// Every response carries x-request-id. It is added here, at the one place
// response heads are written, rather than with res.setHeader up front: a
// setHeader before writeHead(obj) sends Node down its slow merging path, which
// costs about 10 µs per request.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const REQUEST_ID = Symbol('switchyard.requestId');

interface Tagged {
  [REQUEST_ID]?: string;
}

export function tagRequestId(res: ServerResponse, requestId: string): void {
  (res as ServerResponse & Tagged)[REQUEST_ID] = requestId;
}

/** res.writeHead with x-request-id added; `headers` is the caller's own object and is modified. */
export function writeHead(res: ServerResponse, status: number, headers: OutgoingHttpHeaders): void {
  const id = (res as ServerResponse & Tagged)[REQUEST_ID];
  if (id !== undefined) headers['x-request-id'] = id;
  res.writeHead(status, headers);
}
