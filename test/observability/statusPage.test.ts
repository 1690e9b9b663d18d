// The status page in a real headless chromium: with client keys configured the
// browser signs in with Basic credentials; a provider that gets blocked shows
// as blocked with a countdown that ticks down, and comes back as ok when the
// block ends, all without a reload. A screenshot is left in test-artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { Page } from 'playwright-core';
import { artifactPath, launchChromium, type Browser } from '../support/browser.js';
import { openAIChatBody, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const CLIENT_KEY = 'status-page-key-0123456789';
const BLOCK_SECONDS = 6;

/**
 * Polls from the test, reading the DOM through locators: the page's CSP
 * forbids the string evaluation page.waitForFunction would need.
 */
async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('the status page in chromium', () => {
  let limited: MockUpstream;
  let healthy: MockUpstream;
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let navigations = 0;

  before(async () => {
    limited = await startMockUpstream({ kind: 'json', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': String(BLOCK_SECONDS) } });
    healthy = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('fine') });
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: status
    port: 0
    timeout: 10s
model_providers:
  - model: openai/limited
    base_url: ${limited.url}
    access_key: sk-status-page-0123456789
    default: true
    retry_policy:
      fallback_models: [mistral/healthy]
  - model: mistral/healthy
    base_url: ${healthy.url}
    access_key: sk-status-page-0123456789
switchyard:
  client_keys:
    - key: ${CLIENT_KEY}
      name: operator
`);
    browser = await launchChromium({ username: 'operator', password: CLIENT_KEY });
    page = await browser.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
  });
  after(async () => {
    await browser.close();
    await gw.close();
    await Promise.all([limited.close(), healthy.close()]);
  });

  const badge = (model: string) => page.locator(`tr[data-model="${model}"] [data-health]`);

  it('signs in with the client key and shows every model healthy', async () => {
    const res = await page.goto(`${gw.url}/status`);
    assert.equal(res?.status(), 200);
    assert.equal(await badge('openai/limited').getAttribute('data-health'), 'ok');
    assert.equal(await badge('mistral/healthy').getAttribute('data-health'), 'ok');
    // Page code is passed as text: the tests compile without the DOM's types.
    await page.evaluate('window.loadedOnce = true');
  });

  it('shows the block and its countdown ticking, without a reload, and ok again when it ends', async () => {
    const reply = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: 'openai/limited', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(reply.statusCode, 200);
    await reply.body.text();

    await until(async () => (await badge('openai/limited').getAttribute('data-health')) === 'blocked', 5000);
    const first = Number(await badge('openai/limited').getAttribute('data-countdown'));
    assert.match((await badge('openai/limited').textContent()) ?? '', /^blocked, \d+ s left \(retry-after\)$/);
    assert.ok(first >= 1 && first <= BLOCK_SECONDS, `countdown starts at ${first}`);
    await page.locator('#failovers li', { hasText: 'openai/limited → mistral/healthy' }).waitFor({ timeout: 5000 });
    await page.screenshot({ path: artifactPath('status-page.png'), fullPage: true });

    // It ticks at least every 2 s: within 2.5 s the number is lower.
    await until(async () => Number(await badge('openai/limited').getAttribute('data-countdown')) < first, 2500);
    await until(async () => (await badge('openai/limited').getAttribute('data-health')) === 'ok', (BLOCK_SECONDS + 3) * 1000);
    assert.equal(await page.evaluate('window.loadedOnce'), true, 'the page was never reloaded');
    assert.equal(navigations, 1);
    assert.ok(statSync(artifactPath('status-page.png')).size > 1000);
  });

  it('ran its script under its Content-Security-Policy without errors', () => {
    assert.deepEqual(problems, []);
  });
});
