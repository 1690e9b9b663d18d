// Serialises one SSE event. Data containing line breaks is split over several
// `data:` lines, which the receiving parser joins back with '\n'.

export function formatSse(event: string | undefined, data: string): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  if (!/[\r\n]/.test(data)) return `${head}data: ${data}\n\n`;
  const lines = data.split(/\r\n|\r|\n/);
  return `${head}${lines.map((l) => `data: ${l}`).join('\n')}\n\n`;
}

/** One JSON payload as an SSE event; JSON.stringify never emits raw newlines. */
export function formatSseJson(event: string | undefined, payload: unknown): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  return `${head}data: ${JSON.stringify(payload)}\n\n`;
}
