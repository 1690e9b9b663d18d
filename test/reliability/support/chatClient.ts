// One chat request read to the end, reporting what a client would notice:
// status, headers, the text received, and whether the body was cut.
import { request, type Dispatcher } from 'undici';
import { CHAT_PATH, chatBody, type Dialect } from './assertions.js';

export interface ChatReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The connection broke before the body ended. */
  readonly cut: boolean;
  readonly elapsedMs: number;
}

export async function ask(
  url: string,
  opts: { dialect?: Dialect; stream?: boolean; extra?: Record<string, unknown>; headers?: Record<string, string>; dispatcher?: Dispatcher } = {},
): Promise<ChatReply> {
  const dialect = opts.dialect ?? 'openai';
  const started = performance.now();
  const res = await request(`${url}${CHAT_PATH[dialect]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: chatBody(dialect, { stream: opts.stream === true, ...opts.extra }),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  let text = '';
  let cut = false;
  try {
    for await (const chunk of res.body) text += (chunk as Buffer).toString('utf8');
  } catch {
    cut = true;
  }
  return { status: res.statusCode, headers: res.headers, text, cut, elapsedMs: performance.now() - started };
}

/** An OpenAI stream that a client may treat as complete. */
export function endsWithDone(text: string): boolean {
  return /data: \[DONE\]\s*$/.test(text);
}

/**
 * The client was told the stream failed: the connection was cut, or the stream
 * ended with the dialect's in-band error event (OpenAI `data: {"error":…}`,
 * Anthropic `event: error`).
 */
export function endedAsFailure(reply: ChatReply, dialect: 'openai' | 'anthropic' = 'openai'): boolean {
  if (reply.cut) return true;
  return dialect === 'openai' ? /data: \{"error":/.test(reply.text) : /event: error\ndata: /.test(reply.text);
}
