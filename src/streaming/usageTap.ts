// Reads token usage and the answering model out of a relayed stream, for
// metrics and traces. Only events that carry a usage object are parsed (a
// substring test first), so the relay pays a search per event, not a parse.
// After a continuation the last stream's figures win: the broken stream never
// reported its own.
import type { SseEvent } from '../dialects/index.js';
import { readTokenUsage, type TokenUsage } from '../dialects/tokenUsage.js';
import type { WireFormat } from '../dialects/wireFormat.js';

const USAGE = '"usage"';

/** Whether `data` has a `"usage"` key whose value is not `null` (OpenAI streams send `"usage":null` on every chunk). */
function carriesUsage(data: string): boolean {
  for (let at = data.indexOf(USAGE); at >= 0; at = data.indexOf(USAGE, at + 1)) {
    let i = at + USAGE.length;
    while (data.charCodeAt(i) === 32 || data.charCodeAt(i) === 58) i++;
    if (!data.startsWith('null', i)) return true;
  }
  return false;
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export class UsageTap {
  private input: number | undefined;
  private output: number | undefined;
  /** The model the provider says answered, when a usage-bearing event named it. */
  model: string | undefined;

  observe(events: readonly SseEvent[], format: WireFormat): void {
    for (const ev of events) {
      if (!carriesUsage(ev.data)) continue;
      let json: Record<string, unknown> | undefined;
      try {
        json = asObject(JSON.parse(ev.data));
      } catch {
        continue;
      }
      if (json === undefined) continue;
      if (format === 'openai') this.fromOpenAI(json);
      else if (format === 'responses') this.fromResponse(asObject(json['response']));
      else this.fromAnthropic(json);
    }
  }

  get usage(): TokenUsage | undefined {
    if (this.input === undefined && this.output === undefined) return undefined;
    return { inputTokens: this.input ?? 0, outputTokens: this.output ?? 0 };
  }

  private fromOpenAI(chunk: Record<string, unknown>): void {
    const usage = readTokenUsage(chunk['usage']);
    if (usage === undefined) return;
    this.input = usage.inputTokens;
    this.output = usage.outputTokens;
    if (typeof chunk['model'] === 'string') this.model = chunk['model'];
  }

  /** A Responses stream's terminal event carries the Response, usage and model included. */
  private fromResponse(response: Record<string, unknown> | undefined): void {
    const usage = readTokenUsage(response?.['usage']);
    if (usage === undefined) return;
    this.input = usage.inputTokens;
    this.output = usage.outputTokens;
    if (typeof response?.['model'] === 'string') this.model = response['model'];
  }

  /** message_start carries the input (and a first output count), message_delta the running output. */
  private fromAnthropic(event: Record<string, unknown>): void {
    const message = asObject(event['message']);
    const raw = asObject(message?.['usage'] ?? event['usage']);
    if (raw === undefined) return;
    const usage = readTokenUsage(raw);
    if (usage === undefined) return;
    if ('input_tokens' in raw) this.input = usage.inputTokens;
    if ('output_tokens' in raw) this.output = usage.outputTokens;
    if (typeof message?.['model'] === 'string') this.model = message['model'];
  }
}
