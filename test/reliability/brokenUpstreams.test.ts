// Broken providers: each case ends in a correct failover (with a retry policy)
// or a clean error in the client's dialect (without one), within the request
// deadline, for non-streaming and streaming requests. Never a hang, a crash,
// or a cut answer presented as complete.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { assertDialectError, assertHealthy } from './support/assertions.js';
import { ask, endedAsFailure, endsWithDone, type ChatReply } from './support/chatClient.js';
import { rawResponse, startRawUpstream, type RawScript, type RawUpstream } from './support/rawUpstream.js';

const DEADLINE_MS = 1500;
const FIRST_BYTE_MS = 300;
/** Generous: the answer must come by the deadline, not at some exact time. */
const ANSWERED_WITHIN_MS = DEADLINE_MS + 3000;

const SSE_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n';
const chunked = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
const firstFrame = openAIStreamFrames(['partial'])[1]!;

function gatewayYaml(primaryUrl: string, backupUrl: string, withPolicy: boolean): string {
  const policy = withPolicy
    ? `    retry_policy:
      fallback_models: [mistral/backup]
      default_strategy: different_provider
      default_max_attempts: 1
`
    : '';
  return `version: v0.4.0
listeners:
  - type: model
    name: broken
    port: 0
    timeout: ${DEADLINE_MS}ms
model_providers:
  - model: openai/primary
    base_url: ${primaryUrl}
    access_key: sk-broken-primary-key
    first_byte_timeout_ms: ${FIRST_BYTE_MS}
    default: true
${policy}  - model: mistral/backup
    base_url: ${backupUrl}
    access_key: sk-broken-backup-key
`;
}

interface Case {
  readonly name: string;
  /**
   * With a retry policy: 'failover', or 'either' where the request deadline is
   * the only clock that can end the attempt (a stalled body: an idle timeout
   * would allow a failover, and a clean error at the deadline is also correct).
   */
  readonly withPolicy?: 'failover' | 'either';
  readonly modes: readonly ('json' | 'stream')[];
  readonly script: (stream: boolean) => RawScript;
}

const destroy = (s: Socket): void => {
  s.destroy();
};

const CASES: readonly Case[] = [
  { name: 'connection reset before headers', modes: ['json', 'stream'], script: () => destroy },
  {
    name: 'connection reset mid-body (before anything could be committed)',
    modes: ['json', 'stream'],
    script: (stream) => (s) => {
      if (stream) s.write(SSE_HEAD + chunked(firstFrame.slice(0, 30)), () => s.destroy());
      else s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"id":"chatcmpl-x","choices":[{"mess', () => s.destroy());
    },
  },
  { name: 'accepts the connection and never answers', modes: ['json', 'stream'], script: () => () => {} },
  {
    name: 'HTML on 200',
    modes: ['json', 'stream'],
    script: () => (s) => void s.end(rawResponse(200, ['content-type: text/html'], '<html><body>Welcome to nginx</body></html>')),
  },
  {
    name: 'not JSON on 200',
    modes: ['json', 'stream'],
    script: () => (s) => void s.end(rawResponse(200, ['content-type: application/json'], 'upstream says hello')),
  },
  {
    name: 'HTML on 503',
    modes: ['json', 'stream'],
    script: () => (s) => void s.end(rawResponse(503, ['content-type: text/html'], '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>')),
  },
  {
    name: 'a 200 whose body is a JSON error',
    modes: ['json', 'stream'],
    script: () => (s) => void s.end(rawResponse(200, ['content-type: application/json'], '{"error":{"message":"model overloaded","type":"server_error"}}')),
  },
  {
    name: 'an SSE stream whose first event is an error',
    modes: ['stream'],
    script: () => (s) => void s.end(SSE_HEAD + chunked('data: {"error":{"message":"overloaded","type":"server_error"}}\n\n') + '0\r\n\r\n'),
  },
  {
    name: 'headers, then nothing',
    withPolicy: 'either',
    modes: ['json', 'stream'],
    script: (stream) => (s) => void s.write(stream ? SSE_HEAD : 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 300\r\n\r\n'),
  },
];

describe('broken upstreams', () => {
  let primary: RawUpstream;
  let backup: MockUpstream;
  let failover: TestGateway;
  let single: TestGateway;
  before(async () => {
    primary = await startRawUpstream(destroy);
    backup = await startMockUpstream((r) =>
      r.body.includes('"stream":true')
        ? { kind: 'sse', frames: openAIStreamFrames(['from ', 'backup']) }
        : { kind: 'json', status: 200, body: openAIChatBody('from backup') },
    );
    failover = await startTestGateway(gatewayYaml(primary.url, backup.url, true));
    single = await startTestGateway(gatewayYaml(primary.url, backup.url, false));
  });
  after(async () => {
    await failover.close();
    await single.close();
    await primary.close();
    await backup.close();
  });

  function assertBackupAnswered(reply: ChatReply, stream: boolean, label: string): void {
    assert.equal(reply.status, 200, `${label}: ${reply.text.slice(0, 200)}`);
    assert.equal(reply.headers['x-switchyard-model'], 'mistral/backup', label);
    assert.equal(reply.cut, false, label);
    if (stream) {
      assert.ok(endsWithDone(reply.text), `${label}: ${reply.text.slice(-100)}`);
      assert.match(reply.text, /"content":"backup"/);
    } else {
      assert.equal((JSON.parse(reply.text) as { choices: { message: { content: string } }[] }).choices[0]?.message.content, 'from backup');
    }
  }

  function assertCleanError(reply: ChatReply, label: string): void {
    assert.ok(reply.status >= 500 && reply.status <= 504, `${label}: status ${reply.status}`);
    assert.equal(reply.cut, false, label);
    assertDialectError(JSON.parse(reply.text), 'openai', label);
  }

  for (const c of CASES) {
    for (const mode of c.modes) {
      const stream = mode === 'stream';
      it(`${c.name} (${mode}): fails over with a policy, clean error without`, async () => {
        primary.script = c.script(stream);
        const before = backup.requests.length;
        const [moved, refused] = await Promise.all([ask(failover.url, { stream }), ask(single.url, { stream })]);
        if (c.withPolicy === 'either' && moved.status !== 200) {
          assertCleanError(moved, `${c.name}/${mode}/failover`);
        } else {
          assertBackupAnswered(moved, stream, `${c.name}/${mode}/failover`);
          assert.equal(backup.requests.length, before + 1, 'exactly one request reached the backup');
        }
        assertCleanError(refused, `${c.name}/${mode}/single`);
        for (const r of [moved, refused]) assert.ok(r.elapsedMs < ANSWERED_WITHIN_MS, `${c.name}: took ${Math.round(r.elapsedMs)} ms`);
      });
    }
  }

  it('a stream cut after it was committed never looks complete: continued on the backup, or ended as a failure', async () => {
    primary.script = (s) => {
      s.write(SSE_HEAD + chunked(openAIStreamFrames(['one', 'two'])[0]!) + chunked(firstFrame), () => setTimeout(() => s.destroy(), 50));
    };
    const alone = await ask(single.url, { stream: true });
    assert.equal(alone.status, 200);
    assert.match(alone.text, /partial/);
    assert.ok(endedAsFailure(alone), alone.text.slice(-300));
    assert.doesNotMatch(alone.text, /\[DONE\]|"finish_reason":"stop"/);
    const withPolicy = await ask(failover.url, { stream: true });
    assert.equal(withPolicy.status, 200);
    assert.match(withPolicy.text, /partial/);
    if (endsWithDone(withPolicy.text)) {
      // Continued: the rest came from the backup, in the same stream.
      assert.match(withPolicy.text, /backup/);
      assert.equal(withPolicy.cut, false);
    } else {
      assert.ok(endedAsFailure(withPolicy), withPolicy.text.slice(-300));
      assert.doesNotMatch(withPolicy.text, /"finish_reason":"stop"/);
    }
  });

  it('a non-streaming body shorter than its Content-Length is never passed on as complete', async () => {
    primary.script = (s) => {
      s.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 900\r\n\r\n' + JSON.stringify(openAIChatBody('short')));
    };
    const [moved, refused] = await Promise.all([ask(failover.url), ask(single.url)]);
    assertBackupAnswered(moved, false, 'short body/failover');
    assertCleanError(refused, 'short body/single');
  });

  it('is healthy after all of it', async () => {
    await assertHealthy(failover.url);
    await assertHealthy(single.url);
  });
});
