// What one soak request ended as, from the client's side. Pure.
export type ReplyVerdict =
  | { readonly kind: 'success' }
  /** A well-formed error: a 4xx/5xx whose body is the client dialect's error object. */
  | { readonly kind: 'error'; readonly status: number }
  /** Anything else: no answer, a cut body, or a 2xx that is not an answer. */
  | { readonly kind: 'unanswered'; readonly reason: string };

export interface ObservedReply {
  readonly dialect: 'openai' | 'anthropic';
  readonly stream: boolean;
  /** undefined when no response arrived at all. */
  readonly status: number | undefined;
  readonly body: string;
  /** The body broke off, or the request failed with this message. */
  readonly failure: string | undefined;
}

function json(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isDialectError(body: string, dialect: ObservedReply['dialect']): boolean {
  const obj = json(body);
  const err = obj?.['error'] as { message?: unknown } | undefined;
  if (typeof err?.message !== 'string') return false;
  return dialect === 'openai' || obj?.['type'] === 'error';
}

function completeStream(body: string, dialect: ObservedReply['dialect']): boolean {
  return dialect === 'openai' ? /data: \[DONE\]\s*$/.test(body) : /event: message_stop\n/.test(body);
}

function completeAnswer(body: string, dialect: ObservedReply['dialect']): boolean {
  const obj = json(body);
  return dialect === 'openai' ? Array.isArray(obj?.['choices']) : Array.isArray(obj?.['content']);
}

export function classifyReply(r: ObservedReply): ReplyVerdict {
  if (r.status === undefined) return { kind: 'unanswered', reason: `no response (${r.failure ?? 'unknown'})` };
  if (r.failure !== undefined) return { kind: 'unanswered', reason: `body cut (${r.failure})` };
  if (r.status >= 200 && r.status < 300) {
    const ok = r.stream ? completeStream(r.body, r.dialect) : completeAnswer(r.body, r.dialect);
    return ok ? { kind: 'success' } : { kind: 'unanswered', reason: `HTTP ${r.status} without a complete answer` };
  }
  if (r.status >= 400 && isDialectError(r.body, r.dialect)) return { kind: 'error', status: r.status };
  return { kind: 'unanswered', reason: `HTTP ${r.status} with a malformed body` };
}
