// Pure validation of what a system answered. A system that answers wrong is
// reported as broken and never timed.

export type CheckOutcome = { readonly ok: true; readonly chunks?: number } | { readonly ok: false; readonly reason: string };

function snippet(text: string): string {
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);
}

type Failed = Extract<CheckOutcome, { ok: false }>;

/** A 200 with a JSON body, parsed, or why not. */
function jsonAnswer(status: number, bodyText: string): { ok: true; body: unknown } | Failed {
  if (status !== 200) return { ok: false, reason: `status ${status}, body ${snippet(bodyText)}` };
  try {
    return { ok: true, body: JSON.parse(bodyText) as unknown };
  } catch {
    return { ok: false, reason: `body is not JSON: ${snippet(bodyText)}` };
  }
}

export function checkChatCompletion(status: number, bodyText: string): CheckOutcome {
  const parsed = jsonAnswer(status, bodyText);
  if (!parsed.ok) return parsed;
  const body = parsed.body;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return { ok: false, reason: `no choices in ${snippet(bodyText)}` };
  const content = (choices[0] as { message?: { content?: unknown } }).message?.content;
  if (typeof content !== 'string' || content === '') return { ok: false, reason: `choices[0].message.content missing in ${snippet(bodyText)}` };
  return { ok: true };
}

export function checkChatStream(status: number, contentType: string, bodyText: string): CheckOutcome {
  if (status !== 200) return { ok: false, reason: `status ${status}, body ${snippet(bodyText)}` };
  if (!contentType.includes('text/event-stream')) return { ok: false, reason: `content-type ${JSON.stringify(contentType)}, not text/event-stream` };
  const data = bodyText
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
  if (data.length === 0) return { ok: false, reason: `no SSE data events in ${snippet(bodyText)}` };
  if (data[data.length - 1] !== '[DONE]') return { ok: false, reason: `stream does not end with data: [DONE]: ${snippet(bodyText.slice(-200))}` };
  let chunks = 0;
  for (const payload of data.slice(0, -1)) {
    try {
      const event = JSON.parse(payload) as { object?: unknown; choices?: unknown };
      if (event.object !== 'chat.completion.chunk' || !Array.isArray(event.choices)) {
        return { ok: false, reason: `unexpected event ${snippet(payload)}` };
      }
      chunks++;
    } catch {
      return { ok: false, reason: `event is not JSON: ${snippet(payload)}` };
    }
  }
  if (chunks === 0) return { ok: false, reason: 'no chat.completion.chunk events before [DONE]' };
  return { ok: true, chunks };
}

/** A Responses API answer: a completed `response` whose output holds a message with text. */
export function checkResponse(status: number, bodyText: string): CheckOutcome {
  const parsed = jsonAnswer(status, bodyText);
  return parsed.ok ? completedResponse(parsed.body, bodyText) : parsed;
}

function completedResponse(body: unknown, bodyText: string): CheckOutcome {
  const r = body as { object?: unknown; status?: unknown; output?: unknown };
  if (r.object !== 'response' || r.status !== 'completed') return { ok: false, reason: `not a completed response: ${snippet(bodyText)}` };
  const text = Array.isArray(r.output)
    ? (r.output as { type?: unknown; content?: { type?: unknown; text?: unknown }[] }[])
        .filter((item) => item.type === 'message')
        .flatMap((item) => item.content ?? [])
        .some((part) => part.type === 'output_text' && typeof part.text === 'string' && part.text !== '')
    : false;
  return text ? { ok: true } : { ok: false, reason: `no output_text in ${snippet(bodyText)}` };
}

/** A Responses API stream: sequence numbers 0, 1, 2…, text deltas, and response.completed last. */
export function checkResponsesStream(status: number, contentType: string, bodyText: string): CheckOutcome {
  if (status !== 200) return { ok: false, reason: `status ${status}, body ${snippet(bodyText)}` };
  if (!contentType.includes('text/event-stream')) return { ok: false, reason: `content-type ${JSON.stringify(contentType)}, not text/event-stream` };
  const events: { type?: unknown; sequence_number?: unknown; response?: unknown }[] = [];
  for (const line of bodyText.split('\n')) {
    if (!line.startsWith('data:')) continue;
    try {
      events.push(JSON.parse(line.slice(5)) as (typeof events)[number]);
    } catch {
      return { ok: false, reason: `event is not JSON: ${snippet(line)}` };
    }
  }
  const out = events.findIndex((e, i) => e.sequence_number !== i);
  if (out >= 0) return { ok: false, reason: `sequence_number ${String(events[out]?.sequence_number)} at event ${out}` };
  if (!events.some((e) => e.type === 'response.output_text.delta')) return { ok: false, reason: 'no response.output_text.delta events' };
  const last = events.at(-1);
  if (last?.type !== 'response.completed') return { ok: false, reason: `stream does not end with response.completed: ${snippet(bodyText.slice(-200))}` };
  return completedResponse(last.response, bodyText.slice(-300));
}
