// A strict parser of the Prometheus text exposition format (0.0.4), with the
// checks `promtool check metrics` makes: names and label names by the spec's
// grammar, only the three escapes in label values, HELP and TYPE at most once
// per family and before its samples, each family's samples together, no series
// twice, counters named *_total, histograms with ascending `le` buckets that
// are cumulative and end in +Inf equal to _count, with _sum and _count present.
// Any violation throws, naming the line.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

class ParseError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) throw new ParseError(line, `bad value ${JSON.stringify(text)}`);
  return Number(text);
}

/** Labels of `{a="x",b="y"}` starting at text[0] === '{'; returns them and the index after '}'. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    if (text[i] === '}') return { labels, end: i + 1 };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new ParseError(line, 'label without "="');
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new ParseError(line, `bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new ParseError(line, `label ${name} twice`);
    if (text[eq + 1] !== '"') throw new ParseError(line, `label ${name}: value not quoted`);
    let value = '';
    let j = eq + 2;
    for (;; j++) {
      const c = text[j];
      if (c === undefined) throw new ParseError(line, `label ${name}: unterminated value`);
      if (c === '"') break;
      if (c === '\n') throw new ParseError(line, 'raw newline in a label value');
      if (c === '\\') {
        const e = text[++j];
        if (e === '\\') value += '\\';
        else if (e === '"') value += '"';
        else if (e === 'n') value += '\n';
        else throw new ParseError(line, `label ${name}: bad escape \\${e ?? ''}`);
      } else value += c;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new ParseError(line, `label ${name}: expected "," or "}"`);
  }
}

/** The family a sample name belongs to, given the TYPE lines seen. */
function familyOf(sample: string, types: ReadonlyMap<string, MetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const t = types.get(base);
      if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base;
    }
  }
  return sample;
}

const seriesKey = (name: string, labels: Readonly<Record<string, string>>): string =>
  `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;

function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: { le: number; value: number }[]; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = seriesKey('', rest);
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      g.buckets.push({ le: parseValue(le, 0), value: s.value });
    } else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else if (s.name === `${f.name}_count`) g.count = s.value;
    else throw new Error(`${f.name}: unexpected sample ${s.name} in a histogram`);
  }
  for (const [key, g] of groups) {
    if (g.sum === undefined || g.count === undefined) throw new Error(`${f.name}${key}: _sum or _count missing`);
    const last = g.buckets.at(-1);
    if (last?.le !== Number.POSITIVE_INFINITY) throw new Error(`${f.name}${key}: no +Inf bucket last`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i]!.le > g.buckets[i - 1]!.le)) throw new Error(`${f.name}${key}: le not ascending`);
      if (g.buckets[i]!.value < g.buckets[i - 1]!.value) throw new Error(`${f.name}${key}: buckets not cumulative`);
    }
    if (last.value !== g.count) throw new Error(`${f.name}${key}: +Inf bucket ${last.value} != _count ${g.count}`);
  }
}

export function parseExposition(text: string): Map<string, Family> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const types = new Map<string, MetricType>();
  const helps = new Map<string, string>();
  const series = new Set<string>();
  const finished = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(raw);
      if (m === null) return; // a plain comment
      const [, kind, name = '', rest = ''] = m;
      if (!METRIC_NAME.test(name)) throw new ParseError(line, `bad metric name ${JSON.stringify(name)}`);
      if (families.get(name)?.samples.length || finished.has(name)) throw new ParseError(line, `${kind} for ${name} after its samples`);
      if (kind === 'TYPE') {
        if (types.has(name)) throw new ParseError(line, `TYPE for ${name} twice`);
        if (!TYPES.includes(rest)) throw new ParseError(line, `unknown type ${JSON.stringify(rest)}`);
        types.set(name, rest as MetricType);
      } else {
        if (helps.has(name)) throw new ParseError(line, `HELP for ${name} twice`);
        helps.set(name, rest);
      }
      return;
    }
    const nameEnd = raw.search(/[{ ]/);
    if (nameEnd <= 0) throw new ParseError(line, 'no metric name');
    const name = raw.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new ParseError(line, `bad metric name ${JSON.stringify(name)}`);
    let labels: Record<string, string> = {};
    let rest = raw.slice(nameEnd);
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest, line);
      labels = parsed.labels;
      rest = rest.slice(parsed.end);
    }
    const parts = rest.trim().split(/ +/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new ParseError(line, 'expected " value [timestamp]"');
    const value = parseValue(parts[0] ?? '', line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new ParseError(line, `bad timestamp ${parts[1]}`);
    const familyName = familyOf(name, types);
    const type = types.get(familyName) ?? 'untyped';
    if (familyName !== current) {
      if (current !== undefined) finished.add(current);
      if (finished.has(familyName)) throw new ParseError(line, `samples of ${familyName} are not together`);
      current = familyName;
    }
    if (type === 'histogram' && name === `${familyName}_bucket` && labels['le'] === undefined) throw new ParseError(line, 'bucket without le');
    if (type !== 'histogram' && 'le' in labels) throw new ParseError(line, 'le label outside a histogram');
    const key = seriesKey(name, labels);
    if (series.has(key)) throw new ParseError(line, `series ${key} twice`);
    series.add(key);
    let family = families.get(familyName);
    if (family === undefined) {
      family = { name: familyName, type, help: helps.get(familyName) ?? '', samples: [] };
      families.set(familyName, family);
    }
    family.samples.push({ name, labels, value });
  });
  for (const f of families.values()) {
    if (!helps.has(f.name)) throw new Error(`${f.name}: no HELP`);
    if (!types.has(f.name)) throw new Error(`${f.name}: no TYPE`);
    if (f.type === 'counter' && !f.name.endsWith('_total')) throw new Error(`${f.name}: a counter's name should end in _total`);
    if (f.type !== 'counter' && f.name.endsWith('_total')) throw new Error(`${f.name}: only counters end in _total`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return families;
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none (a series not yet created). */
export function sampleValue(families: ReadonlyMap<string, Family>, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = families.get(familyOf(name, new Map([...families].map(([k, f]) => [k, f.type]))));
  const hits = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${hits.length} series`);
  return hits[0]?.value ?? 0;
}
