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
import { request } from 'undici';
import { BENCH_MODEL, CHAT_API, requestHeaders, type BenchApi, type Target } from './target.js';

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
  | 'portkey-fallback'
  | 'direct-responses'
  | 'switchyard-responses'
  | 'switchyard-responses-state'
  | 'switchyard-responses-translated';

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
const RESPONSES_PATH = '/v1/responses';
/** The Responses API served natively (an `openai` entry) or translated (an OpenAI-compatible chat entry). */
const NATIVE_RESPONSES = { kind: 'responses', model: BENCH_MODEL } as const satisfies BenchApi;
const TRANSLATED_RESPONSES: BenchApi = { kind: 'responses', model: 'mistral/mistral-small' };
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
      system: { target: { origin: ctx.mockOrigin, path: CHAT_PATH, headers: {}, api: CHAT_API }, pid: undefined, stop: () => Promise.resolve(undefined) },
    }),
};

/** The mock's own /v1/responses: the base the Responses rows' overhead is measured from. */
const directResponses: SystemSpec = {
  name: 'direct-responses',
  failsOver: false,
  streamingOptional: false,
  start: (ctx) =>
    Promise.resolve({
      kind: 'running',
      system: { target: { origin: ctx.mockOrigin, path: RESPONSES_PATH, headers: {}, api: NATIVE_RESPONSES }, pid: undefined, stop: () => Promise.resolve(undefined) },
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
    return running(child, { origin: `http://127.0.0.1:${port}`, path: CHAT_PATH, headers: {}, api: CHAT_API });
  },
};

/** How a switchyard system is asked: Chat Completions, or one of the Responses API's ways. */
type SwitchyardApi = 'chat' | 'responses' | 'responses-state' | 'responses-translated';

/**
 * Stores one response and answers the API that continues it, so that every
 * load request rebuilds a conversation from memory storage and stores its own turn.
 */
async function continuing(origin: string): Promise<{ ok: true; api: BenchApi } | { ok: false; reason: string }> {
  const target: Target = { origin, path: RESPONSES_PATH, headers: {}, api: NATIVE_RESPONSES };
  const res = await request(`${origin}${RESPONSES_PATH}`, { method: 'POST', headers: requestHeaders(target), body: JSON.stringify({ model: BENCH_MODEL, input: 'Remember this.' }) });
  const body = (await res.body.json()) as { id?: unknown };
  if (res.statusCode !== 200 || typeof body.id !== 'string') return { ok: false, reason: `storing the first turn answered ${res.statusCode}` };
  return { ok: true, api: { ...NATIVE_RESPONSES, previousResponseId: body.id } };
}

/** Starts the CLI of `root` on a generated config; answers on Chat Completions until `api` says otherwise. */
async function startSwitchyard(
  ctx: LaunchContext,
  name: SystemName,
  root: string,
  extra: { primaryFails: boolean; sharedStateUrl?: string; traceTo?: string },
  api: SwitchyardApi = 'chat',
): Promise<StartOutcome> {
  const cli = join(root, 'dist/src/cli/main.js');
  if (!existsSync(cli)) return { kind: 'not-available', reason: `${cli} not built (the switchyard CLI is not in this tree yet)` };
  const port = await findFreePort();
  const configPath = join(ctx.tempDir, `${name}.yaml`);
  writeFileSync(configPath, switchyardConfigYaml({ listenPort: port, mockOrigin: ctx.mockOrigin, ...extra }));
  const child = startNode(ctx, [cli, 'up', configPath, '--foreground']);
  const origin = `http://127.0.0.1:${port}`;
  const ready = await waitForHttp(`${origin}/healthz`, child, { timeoutMs: READY_TIMEOUT_MS, require200: true });
  if (!ready.ok) return failed(child, ready.reason);
  if (api === 'chat') return running(child, { origin, path: CHAT_PATH, headers: {}, api: CHAT_API });
  if (api === 'responses') return running(child, { origin, path: RESPONSES_PATH, headers: {}, api: NATIVE_RESPONSES });
  if (api === 'responses-translated') return running(child, { origin, path: RESPONSES_PATH, headers: {}, api: TRANSLATED_RESPONSES });
  const state = await continuing(origin);
  if (!state.ok) return failed(child, state.reason);
  return running(child, { origin, path: RESPONSES_PATH, headers: {}, api: state.api });
}

function switchyard(name: SystemName, primaryFails: boolean, tree: 'this' | 'baseline' = 'this', traced = false, api: SwitchyardApi = 'chat'): SystemSpec {
  return {
    name,
    failsOver: primaryFails,
    streamingOptional: false,
    start: (ctx) => {
      if (traced && ctx.otlpGrpc === undefined) return Promise.resolve({ kind: 'not-available', reason: 'the OTLP sink did not start' });
      const root = tree === 'this' ? ctx.repoRoot : ctx.baselineRoot;
      if (root === undefined) return Promise.resolve({ kind: 'not-available', reason: 'no --baseline checkout given' });
      return startSwitchyard(ctx, name, root, { primaryFails, ...(traced ? { traceTo: ctx.otlpGrpc } : {}) }, api);
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
      return running(child, { origin, path: CHAT_PATH, headers: { 'x-portkey-config': portkeyHeader(ctx.mockOrigin, primaryFails) }, api: CHAT_API });
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
  // /v1/responses: native and stateless, native continuing a conversation kept in memory, translated to Chat Completions.
  directResponses,
  switchyard('switchyard-responses', false, 'this', false, 'responses'),
  switchyard('switchyard-responses-state', false, 'this', false, 'responses-state'),
  switchyard('switchyard-responses-translated', false, 'this', false, 'responses-translated'),
];
