// The metrics the docs list are the metrics the gateway exports, with the same
// types and labels, both ways; and every query in docs/operations.md and in
// the Grafana dashboard names metrics and labels that exist.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { createSharedState } from '../../src/state/sharedState.js';
import { oneProviderYaml, loadTestConfig } from '../support/gateway.js';
import { REPO_ROOT } from '../support/paths.js';

const OPERATIONS = readFileSync(resolve(REPO_ROOT, 'docs/operations.md'), 'utf8');
const DASHBOARD = JSON.parse(readFileSync(resolve(REPO_ROOT, 'examples/grafana-dashboard.json'), 'utf8')) as {
  title: string;
  panels: { type: string; targets?: { expr: string }[] }[];
};

interface Exported {
  readonly type: string;
  readonly labels: readonly string[];
}

async function exported(): Promise<Map<string, Exported>> {
  const config = loadTestConfig(oneProviderYaml('http://127.0.0.1:9'));
  const shared = createSharedState(config);
  const metrics = new GatewayMetrics(() => ({ config, shared, retriesInBackoff: 0 }));
  const out = new Map<string, Exported>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    const labelNames = (metrics.registry.getSingleMetric(m.name) as unknown as { labelNames?: string[] }).labelNames ?? [];
    out.set(m.name, { type: String(m.type), labels: [...labelNames].sort() });
  }
  return out;
}

/** The rows of the table under "## Metrics": name, type, labels. */
function documented(): Map<string, Exported> {
  const section = OPERATIONS.slice(OPERATIONS.indexOf('\n## Metrics\n'));
  const out = new Map<string, Exported>();
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z_:]+)` \| (counter|gauge|histogram) \| ([^|]*)\|/.exec(line);
    if (m === null) continue;
    out.set(m[1]!, { type: m[2]!, labels: [...m[3]!.matchAll(/`([a-z_]+)`/g)].map((x) => x[1]!).sort() });
  }
  return out;
}

/** Every metric selector in a PromQL expression: name and the label names it matches on. */
function selectors(expr: string): { name: string; labels: string[] }[] {
  const out: { name: string; labels: string[] }[] = [];
  // Grouping clauses list label names, not metrics.
  const metricsOnly = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  for (const m of metricsOnly.matchAll(/\b((?:switchyard|gen_ai|process|nodejs)_[a-z0-9_]+)(\{[^}]*\})?/g)) {
    out.push({ name: m[1]!, labels: [...(m[2] ?? '').matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1]!) });
  }
  return out;
}

/** The family a sample name belongs to. */
function familyOf(name: string, families: ReadonlyMap<string, Exported>): string {
  if (families.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return families.get(base)?.type === 'histogram' ? base : name;
}

function checkQuery(expr: string, families: ReadonlyMap<string, Exported>, where: string): void {
  const found = selectors(expr);
  assert.ok(found.length > 0, `${where}: no metric in ${expr}`);
  for (const { name, labels } of found) {
    const family = families.get(familyOf(name, families));
    assert.ok(family !== undefined, `${where}: ${name} is not exported`);
    for (const l of labels) assert.ok(l === 'le' || family.labels.includes(l), `${where}: ${name} has no label ${l}`);
  }
}

describe('metrics in the docs and the dashboard', () => {
  it('lists exactly the switchyard_* and gen_ai_* metrics the gateway exports, with their types and labels', async () => {
    const ours = new Map([...(await exported())].filter(([name]) => /^(switchyard|gen_ai)_/.test(name)));
    const docs = documented();
    assert.deepEqual([...docs.keys()].sort(), [...ours.keys()].sort());
    for (const [name, doc] of docs) assert.deepEqual(doc, ours.get(name), name);
  });

  it('names only exported metrics and labels in the example queries', async () => {
    const families = await exported();
    const blocks = [...OPERATIONS.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 5);
    blocks.forEach((b, i) => { checkQuery(b, families, `docs query ${i + 1}`); });
  });

  it('the Grafana dashboard queries exported metrics and labels only', async () => {
    const families = await exported();
    assert.equal(DASHBOARD.title, 'Switchyard');
    const targets = DASHBOARD.panels.flatMap((p) => p.targets ?? []);
    assert.ok(targets.length >= 20);
    for (const t of targets) checkQuery(t.expr, families, 'dashboard');
  });

  it('finds a missing metric or label, so the checks above can fail', async () => {
    const families = await exported();
    assert.throws(() => { checkQuery('rate(switchyard_nonexistent_total[5m])', families, 'probe'); });
    assert.throws(() => { checkQuery('switchyard_blocks_active{colour="red"}', families, 'probe'); });
    assert.doesNotThrow(() => { checkQuery('rate(switchyard_request_duration_seconds_bucket{model="x"}[5m])', families, 'probe'); });
  });
});
