// Reads the reference tables out of the docs: the first markdown table after
// the line (heading or paragraph) that starts with a given title, backticks
// aside (`retry_policy` fields and retry_policy fields are one title).

export interface DocRow {
  /** Key paths the row documents, in the order written: `a.b`, `.c` -> a.b, a.c. Empty when the cell is prose. */
  readonly keys: readonly string[];
  readonly keyCell: string;
  readonly defaultCell: string;
}

const KEY_LIST = /^`[^`]+`(?:, `[^`]+`)*$/;

/** `on_timeout.strategy`, `.max_attempts` -> on_timeout.strategy, on_timeout.max_attempts. */
function expandKeys(cell: string): string[] {
  if (!KEY_LIST.test(cell)) return [];
  const keys: string[] = [];
  for (const [, key] of cell.matchAll(/`([^`]+)`/g)) {
    const previous = keys.at(-1);
    const parent = previous === undefined ? '' : previous.slice(0, previous.lastIndexOf('.'));
    keys.push(key!.startsWith('.') ? `${parent}${key}` : key!);
  }
  return keys;
}

const cells = (line: string): string[] => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

/** The rows of the table under `title`, or undefined when the title or its table is missing. */
export function tableAfter(markdown: string, title: string): DocRow[] | undefined {
  const plain = (text: string): string => text.replace(/`/g, '');
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => plain(l.replace(/^#+\s*/, '')).startsWith(plain(title)));
  if (at < 0) return undefined;
  const start = lines.findIndex((l, i) => i > at && l.startsWith('|'));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  // Header and separator rows first.
  return lines.slice(start + 2, end < 0 ? undefined : end).map((line) => {
    const [keyCell = '', defaultCell = ''] = cells(line);
    return { keys: expandKeys(keyCell), keyCell, defaultCell };
  });
}
