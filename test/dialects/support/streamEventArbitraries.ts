// Upstream SSE events of either dialect as providers may send them, for
// property tests: whitespace anywhere JSON allows it, keys spelled with \u
// escapes, `event:` lines present, absent or contradicting the data, error
// objects in every shape providers use, [DONE], unknown event types, text
// that looks like what a cheap check searches for, and data that is not JSON.
import fc from 'fast-check';
import type { SseEvent } from '../../../src/dialects/sse/parser.js';

/** How a provider spells its JSON: whitespace between tokens, and which keys are escaped. */
interface Spelling {
  readonly pads: readonly string[];
  readonly escapeKeys: 'none' | 'some' | 'all';
  readonly upperHex: boolean;
}

const spelling: fc.Arbitrary<Spelling> = fc.record({
  pads: fc.array(fc.constantFrom('', '', ' ', '  ', '\t', '\n', '\r\n'), { minLength: 1, maxLength: 6 }),
  escapeKeys: fc.constantFrom('none', 'none', 'some', 'all'),
  upperHex: fc.boolean(),
});

function render(value: unknown, s: Spelling): string {
  let n = 0;
  const pad = (): string => s.pads[n++ % s.pads.length]!;
  const key = (k: string): string => {
    const escape = s.escapeKeys === 'all' || (s.escapeKeys === 'some' && n % 2 === 0);
    if (!escape) return JSON.stringify(k);
    const hex = (c: string): string => c.charCodeAt(0).toString(16).padStart(4, '0');
    return `"${Array.from(k, (c) => `\\u${s.upperHex ? hex(c).toUpperCase() : hex(c)}`).join('')}"`;
  };
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return `[${pad()}${v.map((x) => walk(x)).join(`${pad()},${pad()}`)}${pad()}]`;
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      return `{${pad()}${entries.map(([k, x]) => `${key(k)}${pad()}:${pad()}${walk(x)}`).join(`${pad()},${pad()}`)}${pad()}}`;
    }
    return JSON.stringify(v);
  };
  return walk(value);
}

/** Strings that look like what the cheap path searches for. */
const tricky = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('error', '"error"', 'finish_reason', '"finish_reason":"stop"', '[DONE]', 'message_stop', '"type":"message_delta"', '\\u0065rror', 'é', '\u0007'),
);
const finish = fc.constantFrom(undefined, null, 'stop', 'length', 'tool_calls', '', 0, true);
const toolCall = fc.record(
  { index: fc.nat(3), id: tricky, type: fc.constant('function'), function: fc.record({ name: tricky, arguments: tricky }, { requiredKeys: [] }) },
  { requiredKeys: [] },
);
const delta = fc.oneof(
  fc.record(
    {
      role: fc.constant('assistant'),
      content: fc.option(tricky),
      refusal: fc.option(tricky),
      reasoning_content: tricky,
      tool_calls: fc.oneof(fc.array(fc.oneof({ weight: 4, arbitrary: toolCall }, fc.constant(null)), { maxLength: 2 }), fc.constant({})),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, 'text'),
);
const choice = fc.record(
  { index: fc.oneof(fc.constant(0), fc.nat(3), fc.constant('0')), delta, finish_reason: finish, logprobs: fc.constant(null) },
  { requiredKeys: [] },
);
const errorBody = fc.oneof(
  fc.record({ message: tricky, type: tricky, param: fc.constant(null), code: fc.option(tricky) }, { requiredKeys: [] }),
  tricky,
  fc.constant(null),
);
const openAIObject = fc.oneof(
  fc.record(
    {
      id: tricky,
      object: fc.constant('chat.completion.chunk'),
      created: fc.nat(),
      model: tricky,
      choices: fc.oneof({ weight: 5, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: choice }, fc.constant(null)), { maxLength: 3 }) }, fc.constantFrom(null, {})),
      usage: fc.option(fc.record({ prompt_tokens: fc.nat(), completion_tokens: fc.nat(), total_tokens: fc.nat() })),
      error: errorBody,
      extra: fc.record({ error: fc.nat() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
  fc.record({ error: errorBody }),
);

const ANTHROPIC_TYPES = [
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
  'future_event',
] as const;
const anthropicType = fc.constantFrom(...ANTHROPIC_TYPES);
const block = fc.oneof(
  fc.record({ type: fc.constant('text'), text: tricky }),
  fc.record({ type: fc.constant('tool_use'), id: tricky, name: tricky, input: fc.constant({}) }),
  fc.record({ type: fc.constantFrom('thinking', 'redacted_thinking'), thinking: tricky }),
);
const blockDelta = fc.oneof(
  fc.record({ type: fc.constant('text_delta'), text: tricky }),
  fc.record({ type: fc.constant('input_json_delta'), partial_json: tricky }),
  fc.record({ type: fc.constantFrom('thinking_delta', 'signature_delta'), thinking: tricky }),
);
const anthropicObject = fc.record(
  {
    type: fc.oneof({ weight: 5, arbitrary: anthropicType }, fc.constant(undefined), fc.nat()),
    index: fc.nat(4),
    content_block: fc.oneof({ weight: 6, arbitrary: block }, fc.constantFrom(null, 'text')),
    delta: fc.oneof(blockDelta, fc.record({ stop_reason: fc.option(fc.constantFrom('end_turn', 'tool_use')), stop_sequence: fc.constant(null) })),
    usage: fc.record({ output_tokens: fc.nat() }),
    error: errorBody,
    message: fc.record({ id: tricky, model: tricky }),
  },
  { requiredKeys: [] },
);

/** Data that is not a JSON object: not JSON at all (a cut-off object), or JSON of another kind. */
const notAnObject = (objects: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(objects, fc.nat()).map(([o, cut]) => {
      const text = JSON.stringify(o);
      return text.slice(0, Math.max(1, cut % text.length));
    }),
    fc.constantFrom('null', '42', '"error"', '["error"]', '[DONE] ', ' [DONE]', 'data', ''),
    tricky,
  );

export const openAIEvents: fc.Arbitrary<SseEvent> = fc.record({
  event: fc.constantFrom(undefined, undefined, undefined, 'error', 'message', 'completion'),
  data: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(openAIObject, spelling).map(([o, s]) => render(o, s)) },
    { weight: 1, arbitrary: fc.constant('[DONE]') },
    { weight: 2, arbitrary: notAnObject(openAIObject) },
  ),
});

export const anthropicEvents: fc.Arbitrary<SseEvent> = fc.tuple(anthropicObject, spelling, fc.nat(3), anthropicType, notAnObject(anthropicObject), fc.nat(9)).map(
  ([o, s, line, other, junk, shape]) => {
    const own = typeof o.type === 'string' ? o.type : undefined;
    // The event line: absent, the data's own type, another type, or `error`.
    const event = [undefined, own, other, 'error'][line];
    return { event, data: shape === 0 ? junk : render(o, s) };
  },
);
