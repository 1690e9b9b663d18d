// Starts a real gateway on 127.0.0.1:0 from YAML text, capturing its log lines.
import { Writable } from 'node:stream';
import { loadConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGateway, type RunningGateway, type StartOptions } from '../../src/server/gateway.js';

export interface TestGateway {
  readonly url: string;
  readonly gw: RunningGateway;
  readonly config: Config;
  /** Every log line the gateway wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export function loadTestConfig(yaml: string, env: NodeJS.ProcessEnv = {}): Config {
  const result = loadConfigText(yaml, '<test>', env);
  if (!result.ok) throw new Error(`test config invalid:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return result.config;
}

/** `opts`: StartOptions beyond the test listener (OTEL_* variables, redaction off); `env` also feeds the config's $VARs. */
export async function startTestGateway(yaml: string, env: NodeJS.ProcessEnv = {}, opts: Omit<StartOptions, 'host' | 'port'> = {}): Promise<TestGateway> {
  const config = loadTestConfig(yaml, env);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const gw = await startGateway(config, createLogger('info', sink), { env: {}, ...opts, host: '127.0.0.1', port: 0 });
  return { url: gw.url, gw, config, logs, close: () => gw.close(1000) };
}

/** A minimal valid config with one OpenAI-format provider at `baseUrl`, plus extra YAML appended to model_providers. */
export function oneProviderYaml(baseUrl: string, extra = ''): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: test
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${baseUrl}
    access_key: sk-test-secret-primary
    default: true
${extra}`;
}
