// A primary that is down, then healthy: served from the fallback during the
// outage (the open circuit skips the primary), and back on the primary within
// moments of its recovery. The 60 s outage, requests every 4 s and
// "back within 10 s" are scaled down here (open periods shortened to match).
// The open period stays longer than one request takes on a loaded machine
// (a failing-over stream can take a few hundred ms there): with a shorter one
// every request would arrive after it ended and probe the primary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway } from '../../support/gateway.js';
import { anthropicFrames, openAIFrames, openAIText } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const OUTAGE_MS = 1_500;
const OUTAGE_REQUESTS = 6;
const EVERY_MS = 100;

describe('circuit breaking and recovery', () => {
  it('skips a down primary, probes it, and returns to it once it recovers', async () => {
    let down = true;
    const primary = await startMockUpstream(() =>
      down ? { kind: 'json', status: 503, body: { error: { message: 'unavailable' } } } : { kind: 'sse', frames: openAIFrames(['primary']) },
    );
    const fallback = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(['fallback']) });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], [
        'circuit_breaker:',
        '  failure_threshold: 2',
        '  open_seconds: 1',
        '  max_open_seconds: 1',
      ]),
    );
    try {
      const started = performance.now();
      let duringOutage = 0;
      while (performance.now() - started < OUTAGE_MS || duringOutage < OUTAGE_REQUESTS) {
        const reply = await ask(gw, 'openai', { stream: true });
        assert.equal(reply.status, 200);
        assert.equal(openAIText(reply.body), 'fallback', 'served from the fallback during the outage');
        duringOutage++;
        await sleep(EVERY_MS);
      }
      const primaryHits = primary.requests.length;
      assert.ok(primaryHits < duringOutage, `the open circuit skipped the primary (${primaryHits} calls for ${duringOutage} requests)`);
      assert.ok(gw.logs.some((l) => l['outcome'] === 'http_503'));

      down = false;
      const recovered = performance.now();
      let backAfter: number | undefined;
      for (let i = 0; i < 40 && backAfter === undefined; i++) {
        const reply = await ask(gw, 'openai', { stream: true });
        if (openAIText(reply.body) === 'primary') backAfter = performance.now() - recovered;
        else await sleep(EVERY_MS);
      }
      assert.ok(backAfter !== undefined, 'traffic returned to the primary');
      // Generous: the open period is at most 1 s, so this is about 1.1 s when the machine is idle.
      assert.ok(backAfter < 4_000, `back on the primary after ${backAfter} ms`);
      // And it stays there: the fallback does not stick.
      for (let i = 0; i < 3; i++) assert.equal(openAIText((await ask(gw, 'openai', { stream: true })).body), 'primary');
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });
});
