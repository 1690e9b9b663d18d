// `switchyard status` as text: the same view as the status page, for a terminal. Pure.
import type { ModelStatus, StatusSnapshot } from '../observability/statusSnapshot.js';

const ms = (v: number | null): string => (v === null ? '-' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
const clock = (epochMs: number): string => `${new Date(epochMs).toISOString().slice(11, 19)}Z`;

function health(m: ModelStatus): string {
  if (m.health === 'ok') return 'ok';
  if (m.health === 'circuit-half-open') return 'circuit half-open (probing)';
  const what = m.health === 'circuit-open' ? 'circuit open' : 'blocked';
  if (m.blockedForSeconds === null) return what;
  const cause = m.health === 'blocked' && m.blockCause !== null ? ` (${m.blockCause})` : '';
  return `${what} ${m.blockedForSeconds} s${cause}`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function renderStatusTable(s: StatusSnapshot, url: string): string {
  const lines = [
    `Switchyard ${s.version} at ${url}, ${s.generatedAt}; latency and errors over the last ${s.windowSeconds / 60} min`,
    '',
    ...table([
      ['MODEL', 'PROVIDER', 'HEALTH', 'TTFT p50', 'TTFT p95', 'ERRORS', 'ATTEMPTS'],
      ...s.models.map((m) => [m.name, m.provider, health(m), ms(m.ttftMs.p50), ms(m.ttftMs.p95), pct(m.errorRate), String(m.attempts)]),
    ]),
    '',
    `Retries: ${s.retries.inBackoff} in backoff, retry gate ${s.retries.gateInUse}/${s.retries.gateCapacity} in use.`,
    `Shared state: ${s.sharedState.backend}, ${s.sharedState.healthy ? 'healthy' : 'UNHEALTHY'}${s.sharedState.detail === null ? '' : ` (${s.sharedState.detail})`}.`,
    '',
    s.recentFailovers.length === 0 ? 'Recent failovers: none.' : 'Recent failovers, newest first:',
    ...s.recentFailovers.map((f) =>
      f.kind === 'gave-up'
        ? `  ${clock(f.atMs)}  ${f.from}: gave up (${f.reason ?? ''}${f.rule === null ? '' : `, rule ${f.rule}`})  request ${f.requestId}`
        : `  ${clock(f.atMs)}  ${f.from} -> ${f.to ?? ''}${f.kind === 'same-model' ? ' (same model)' : ''}: ${f.trigger ?? ''}, rule ${f.rule ?? ''}  request ${f.requestId}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
