// Child-process entry: node dist/bench/tailMain.js [--system-cpus LIST]
// Runs the tail-latency benchmark in a fresh process and prints its result as
// one JSON line. Run in the runner, its upstream's timers and its client's
// clocks shared a heap with everything the earlier parts left there (10,000
// open streams' worth), and that heap's collections read as tail latency.
import { pinProcess } from './pinning.js';
import { readArg } from './serveMain.js';
import { runTailBench, TAIL_DEFAULTS } from './tailLatency.js';

const systemCpus = readArg(process.argv, '--system-cpus');
const plan = systemCpus === undefined ? undefined : ({ kind: 'pinned', loadCpus: '', systemCpus } as const);
const result = await runTailBench(
  { ...TAIL_DEFAULTS, ...(plan === undefined ? {} : { placeGateway: (pid: number) => void pinProcess(plan, 'system', pid) }) },
  (line) => process.stderr.write(`${line}\n`),
);
process.stdout.write(`${JSON.stringify({ tail: result })}\n`);
