// `npm run soak`: the 10-minute chaos soak of issue 6. Options:
//   --duration S (600)  --rate R (40 requests/s)  --warmup S (60)  --out FILE
// Writes the result table to FILE (default bench/results/soak-latest.md) and
// exits 1 unless every request ended in success or a well-formed error and RSS stayed flat.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { runSoak } from './soak/runSoak.js';
import { formatSoakReport, soakPassed } from './soak/soakReport.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const outIndex = process.argv.indexOf('--out');
const out = outIndex >= 0 ? process.argv[outIndex + 1]! : 'bench/results/soak-latest.md';
const result = await runSoak({
  durationS: option('duration', 600),
  rate: option('rate', 40),
  warmupS: option('warmup', 60),
  ...(process.env['SOAK_GATEWAY_NODE_OPTIONS'] ? { gatewayNodeOptions: process.env['SOAK_GATEWAY_NODE_OPTIONS'] } : {}),
  onProgress: (line) => process.stdout.write(`${line}\n`),
});
const cpu = cpus();
const report = formatSoakReport(result, {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`,
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, report);
process.stdout.write(`${report}\nwritten to ${out}\n`);
process.exitCode = soakPassed(result) ? 0 : 1;
