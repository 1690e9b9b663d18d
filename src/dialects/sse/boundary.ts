// Where whole SSE events end in a run of bytes. An event ends at a blank line:
// LF LF, CR CR or CR LF CR LF (mixed forms such as CR LF LF are not looked for).
const LF = 10;
const CR = 13;

/** End offset of the last blank line in buf, or -1. Scanned back from the end, where a run of whole events has it. */
export function lastEventBoundary(buf: Uint8Array, length = buf.length): number {
  for (let i = length - 1; i >= 1; i--) {
    const c = buf[i];
    if (c !== LF && c !== CR) continue;
    const before = buf[i - 1];
    if (before === c) return i + 1;
    if (c === LF && before === CR && i >= 3 && buf[i - 2] === LF && buf[i - 3] === CR) return i + 1;
  }
  return -1;
}

/** Whether the first `length` bytes of buf end with a blank line: they hold whole events only. */
export function endsWithEventBoundary(buf: Uint8Array, length: number): boolean {
  const last = buf[length - 1];
  if (length < 2 || (last !== LF && last !== CR)) return false;
  const before = buf[length - 2];
  return before === last || (last === LF && before === CR && length >= 4 && buf[length - 3] === LF && buf[length - 4] === CR);
}
