// The systems under test, each a way to start something that answers OpenAI
// chat completions, and the Target that reaches it. Starting is an effect with
// an explicit outcome so the runner reports "not available" or "failed to
// start" instead of crashing or timing a broken system.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, spawnChild, waitForHttp, type ChildHandle, type ExitInfo } from './child.js';
import { pinnedCommand, type PinPlan } from './pinning.js';
import { portkeyHeader } from './portkeyConfig.js';
import { startBenchRedis } from './redisServer.js';
import { switchyardConfigYaml } from './switchyardConfig.js';
import type { Target } from './target.js';

export type SystemName =
  | 'direct'
  | 'floor'
  | 'baseline'
  | 'switchyard'
  | 'switchyard-redis'
  | 'switchyard-traced'
  | 'baseline-failover'
  | 'switchyard-failover'
  | 'portkey'
  | 'portkey-fallback';

export interface LaunchContext {
  readonly repoRoot: string;
  readonly mockOrigin: string;
  readonly tempDir: string;
  readonly pin: PinPlan;
  /** Another checkout, built, measured as 'baseline' beside this tree (--baseline DIR): before and after in one run. */
  readonly baselineRoot: string | undefined;
  /** The OTLP/gRPC sink the traced system exports to (http://127.0.0.1:port), when one runs. */
  readonly otlpGrpc: string | undefined;
}

export interface RunningSystem {
  readonly target: Target;
  /** The gateway process to sample; undefined when there is none (direct). */
  readonly pid: number | undefined;
  stop(): Promise<ExitInfo | undefined>;
}

export type StartOutcome =
  | { readonly kind: 'running'; readonly system: RunningSystem }
  | { readonly kind: 'not-available'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export interface SystemSpec {
  readonly name: SystemName;
  /** Every request should reach the failing primary first, then the fallback. */
  readonly failsOver: boolean;
  /** Streaming may be broken upstream of us (Portkey-AI/gateway#1389); measure JSON only then. */
  readonly streamingOptional: boolean;
  start(ctx: LaunchContext): Promise<StartOutcome>;
}

const CHAT_PATH = '/v1/chat/completions';
const READY_TIMEOUT_MS = 20_000;

// BENCH_SYSTEM_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the systems under test.
const extraNodeArgs = (process.env['BENCH_SYSTEM_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');

function startNode(ctx: LaunchContext, args: readonly string[]): ChildHandle {
  const { command, args: full } = pinnedCommand(ctx.pin, 'system', process.execPath, [...extraNodeArgs, ...args]);
  return spawnChild(command, full, ctx.repoRoot);
}

function running(child: ChildHandle, target: Target): StartOutcome {
  return { kind: 'running', system: { target, pid: child.pid, stop: () => child.stop() } };
}

async function failed(child: ChildHandle, reason: string): Promise<StartOutcome> {
  await child.stop(1000);
  return { kind: 'failed', reason };
}

const direct: SystemSpec = {
  name: 'direct',
  failsOver: false,
  streamingOptional: false,
  start: (ctx) =>
    Promise.resolve({
      kind: 'running',
      system: { target: { origin: ctx.mockOrigin, path: CHAT_PATH, headers: {} }, pid: undefined, stop: () => Promise.resolve(undefined) },
    }),
};

const floor: SystemSpec = {
  name: 'floor',
  failsOver: false,
  streamingOptional: false,
  start: async (ctx) => {
    const port = await findFreePort();
    const child = startNode(ctx, [join(ctx.repoRoot, 'dist/bench/floorProxyMain.js'), '--port', String(port), '--upstream', ctx.mockOrigin]);
    const ready = await child.waitForLine((line) => (line.includes('"ready":true') ? true : undefined), READY_TIMEOUT_MS);
    if (!ready) return failed(child, `floor proxy did not start: ${child.outputTail()}`);
    return running(child, { origin: `http://127.0.0.1:${port}`, path: CHAT_PATH, headers: {} });
  },
};

async function startSwitchyard(ctx: LaunchContext, name: SystemName, root: string, extra: { primaryFails: boolean; sharedStateUrl?: string; traceTo?: string }): Promise<StartOutcome> {
  const cli = join(root, 'dist/src/cli/main.js');
  if (!existsSync(cli)) return { kind: 'not-available', reason: `${cli} not built (the switchyard CLI is not in this tree yet)` };
  const port = await findFreePort();
  const configPath = join(ctx.tempDir, `${name}.yaml`);
  writeFileSync(configPath, switchyardConfigYaml({ listenPort: port, mockOrigin: ctx.mockOrigin, ...extra }));
  const child = startNode(ctx, [cli, 'up', configPath, '--foreground']);
  const origin = `http://127.0.0.1:${port}`;
  const ready = await waitForHttp(`${origin}/healthz`, child, { timeoutMs: READY_TIMEOUT_MS, require200: true });
  if (!ready.ok) return failed(child, ready.reason);
  return running(child, { origin, path: CHAT_PATH, headers: {} });
}

function switchyard(name: SystemName, primaryFails: boolean, tree: 'this' | 'baseline' = 'this', traced = false): SystemSpec {
  return {
    name,
    failsOver: primaryFails,
    streamingOptional: false,
    start: (ctx) => {
      if (traced && ctx.otlpGrpc === undefined) return Promise.resolve({ kind: 'not-available', reason: 'the OTLP sink did not start' });
      const root = tree === 'this' ? ctx.repoRoot : ctx.baselineRoot;
      if (root === undefined) return Promise.resolve({ kind: 'not-available', reason: 'no --baseline checkout given' });
      return startSwitchyard(ctx, name, root, { primaryFails, ...(traced ? { traceTo: ctx.otlpGrpc } : {}) });
    },
  };
}

/** The same config and tree as 'switchyard', with its shared state in a redis-server started for it. */
const switchyardRedis: SystemSpec = {
  name: 'switchyard-redis',
  failsOver: false,
  streamingOptional: false,
  start: async (ctx) => {
    const redis = await startBenchRedis(ctx.pin, ctx.tempDir, ctx.repoRoot);
    if (redis.kind !== 'running') return redis;
    const outcome = await startSwitchyard(ctx, 'switchyard-redis', ctx.repoRoot, { primaryFails: false, sharedStateUrl: redis.url });
    if (outcome.kind !== 'running') {
      await redis.stop();
      return outcome;
    }
    const gateway = outcome.system;
    return {
      kind: 'running',
      system: {
        ...gateway,
        stop: async () => {
          const exit = await gateway.stop();
          await redis.stop();
          return exit;
        },
      },
    };
  },
};

function portkey(name: SystemName, primaryFails: boolean): SystemSpec {
  return {
    name,
    failsOver: primaryFails,
    streamingOptional: true,
    start: async (ctx) => {
      const server = join(ctx.repoRoot, 'node_modules/@portkey-ai/gateway/build/start-server.js');
      if (!existsSync(server)) return { kind: 'not-available', reason: `${server} missing (npm install)` };
      const port = await findFreePort();
      const child = startNode(ctx, [server, `--port=${port}`, '--headless']);
      const origin = `http://127.0.0.1:${port}`;
      // Portkey has no health route; any HTTP answer means it is listening.
      const ready = await waitForHttp(`${origin}/`, child, { timeoutMs: READY_TIMEOUT_MS, require200: false });
      if (!ready.ok) return failed(child, ready.reason);
      return running(child, { origin, path: CHAT_PATH, headers: { 'x-portkey-config': portkeyHeader(ctx.mockOrigin, primaryFails) } });
    },
  };
}

export const ALL_SYSTEMS: readonly SystemSpec[] = [
  direct,
  floor,
  // A baseline runs right before its counterpart, so both see the same machine.
  switchyard('baseline', false, 'baseline'),
  switchyard('switchyard', false),
  switchyardRedis,
  // Metrics on (always) and tracing every request, exported over OTLP/gRPC to a local sink.
  switchyard('switchyard-traced', false, 'this', true),
  switchyard('baseline-failover', true, 'baseline'),
  switchyard('switchyard-failover', true),
  portkey('portkey', false),
  portkey('portkey-fallback', true),
];
