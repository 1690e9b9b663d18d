// `switchyard demo`: the gateway plus two simulated providers on loopback, one
// healthy and one always rate-limited, so failover can be seen with no keys.
import { loadConfigText } from '../config/load.js';
import { startSimulatedProvider } from '../demo/simulatedProvider.js';
import { reportLoad } from './loadConfig.js';
import { runForeground } from './foreground.js';

function demoConfig(port: number, busyUrl: string, healthyUrl: string): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: demo
    address: 127.0.0.1
    port: ${port}
    timeout: 30s
model_providers:
  - model: openai/gpt-4o-mini
    base_url: ${healthyUrl}
    access_key: demo-key
    default: true
  # Always answers 429: every request to it fails over to Claude, which speaks
  # the Anthropic wire format, so the answer is translated back for the client.
  - model: openai/gpt-4o
    base_url: ${busyUrl}
    access_key: demo-key
    retry_policy:
      fallback_models: [anthropic/claude-sonnet-4-5]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 2
  - model: anthropic/claude-sonnet-4-5
    base_url: ${healthyUrl}
    access_key: demo-key
model_aliases:
  fast:
    target: openai/gpt-4o-mini
switchyard:
  log_level: info
`;
}

function curlExamples(url: string): string {
  const post = (body: string, extra = ''): string =>
    `curl -s${extra} ${url}/v1/chat/completions -H 'content-type: application/json' -d '${body}'`;
  return [
    '',
    `Switchyard demo is running at ${url} with two simulated providers (no keys, no network).`,
    '',
    '1. A plain chat completion:',
    `   ${post('{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}')}`,
    '',
    '2. Streaming, chunk by chunk:',
    `   ${post('{"model":"fast","stream":true,"messages":[{"role":"user","content":"Stream please"}]}', 'N')}`,
    '',
    '3. Failover: openai/gpt-4o is rate-limited, so Claude answers (see the x-switchyard-* headers):',
    `   ${post('{"model":"openai/gpt-4o","messages":[{"role":"user","content":"Who answers?"}]}', 'i')}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

export async function runDemo(port: number): Promise<void> {
  const busy = await startSimulatedProvider('sim-busy', 'rate-limited');
  const healthy = await startSimulatedProvider('sim-healthy', 'healthy');
  const config = reportLoad(loadConfigText(demoConfig(port, busy.url, healthy.url), '<demo>', process.env), '<demo>');
  if (!config) process.exit(2);
  await runForeground(config, undefined, {
    onStarted: (gw) => process.stdout.write(curlExamples(gw.url)),
    onStopped: async () => {
      await Promise.all([busy.close(), healthy.close()]);
    },
  });
}
