// Shared entry logic for bench helper processes (mock upstream, floor proxy):
// read --port, start, print one JSON line so the parent knows we are ready,
// and exit cleanly on SIGTERM.

export function readPortArg(argv: readonly string[]): number {
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : undefined;
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${raw}`);
  return port;
}

export function readArg(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function announceReady(port: number, close: () => Promise<void>): void {
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
  process.once('SIGTERM', () => {
    void close().then(() => process.exit(0));
  });
}
