// A chat request's body (Chat Completions or Messages), received within the
// gateway's limits (requestBody.ts) and parsed; every refusal is answered
// here, in the client's dialect. The chat and count_tokens routes share it.
// The chat route takes the two steps itself (startJsonBody, then
// checkChatBody), so that it awaits the read with no async frame between.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntryFormat } from '../dialects/wireFormat.js';
import { sendError } from './errorResponse.js';
import { parseChatRequest, type ParsedChat } from './parseChatRequest.js';
import type { BodyResult } from './readBody.js';
import { jsonBodyOrRefusal, startJsonBody } from './requestBody.js';
import type { GatewayRuntime } from './runtime.js';

export type ReceivedChat = Extract<ParsedChat, { ok: true }>;

/** The parsed body of what was read, or undefined once the refusal has been sent. */
export function checkChatBody(rt: GatewayRuntime, read: BodyResult, res: ServerResponse, dialect: EntryFormat): ReceivedChat | undefined {
  const body = jsonBodyOrRefusal(rt.config.gateway, read, res, dialect);
  if (body === undefined) return undefined;
  const parsed = parseChatRequest(body, dialect);
  if (!parsed.ok) {
    sendError(res, dialect, parsed.status, parsed.type, parsed.message);
    return undefined;
  }
  return parsed;
}

/** The parsed body, or undefined once the refusal has been sent. */
export async function receiveChatBody(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, dialect: EntryFormat): Promise<ReceivedChat | undefined> {
  const reading = startJsonBody(rt.config.gateway, req, res, dialect);
  return reading === undefined ? undefined : checkChatBody(rt, await reading, res, dialect);
}
