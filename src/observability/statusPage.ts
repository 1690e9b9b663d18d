// GET /status: one static HTML page, no framework and no build step. It
// carries the current snapshot inline (so it shows something at once, without
// a second round trip) and then polls /status.json every second. Block
// countdowns tick locally twice a second against the server's clock. The
// script and style are fixed text, allowed by hash in the Content-Security-
// Policy; data only ever reaches the page through textContent.
import { createHash } from 'node:crypto';
import type { StatusSnapshot } from './statusSnapshot.js';

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --muted: #6e7781; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; }
h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid color-mix(in srgb, currentColor 15%, transparent); vertical-align: top; }
th { font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; text-align: right; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-weight: 600; font-size: .85rem; color: #fff; }
.ok { background: var(--ok); } .blocked, .circuit-half-open { background: var(--warn); } .circuit-open { background: var(--bad); }
#banner { display: none; padding: .4rem .7rem; background: var(--bad); color: #fff; border-radius: .3rem; margin: .6rem 0; }
#banner.shown { display: block; }
.cards { display: flex; gap: 2rem; flex-wrap: wrap; }
`;

const SCRIPT = `
(() => {
  const $ = (id) => document.getElementById(id);
  let snap = JSON.parse($('initial').textContent);
  let skewMs = snap.nowMs - Date.now();
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const ms = (v) => (v === null ? '–' : v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(2) + ' s');
  const pct = (v) => (v === null ? '–' : (v * 100).toFixed(1) + ' %');
  const clock = (t) => new Date(t).toLocaleTimeString();
  const secondsLeft = (m) => Math.max(0, Math.ceil((m.blockedUntilMs - (Date.now() + skewMs)) / 1000));
  function healthText(m) {
    if (m.health === 'ok') return 'ok';
    if (m.health === 'circuit-half-open') return 'circuit half-open (probing)';
    const what = m.health === 'circuit-open' ? 'circuit open' : 'blocked';
    if (m.blockedUntilMs === null) return what;
    const left = secondsLeft(m);
    return left > 0 ? what + ', ' + left + ' s left' + (m.health === 'blocked' && m.blockCause ? ' (' + m.blockCause + ')' : '') : what + ', ending';
  }
  function renderModels() {
    const body = $('models');
    body.replaceChildren();
    for (const m of snap.models) {
      const tr = el('tr');
      tr.dataset.model = m.name;
      tr.append(el('td', m.name), el('td', m.provider), el('td', m.endpoint, 'muted'));
      const health = el('td');
      const badge = el('span', healthText(m), 'badge ' + m.health);
      badge.dataset.health = m.health;
      if (m.blockedUntilMs !== null) badge.dataset.countdown = String(secondsLeft(m));
      health.append(badge);
      tr.append(health, el('td', ms(m.ttftMs.p50), 'num'), el('td', ms(m.ttftMs.p95), 'num'), el('td', pct(m.errorRate), 'num'), el('td', String(m.attempts), 'num'));
      body.append(tr);
    }
  }
  function renderRest() {
    $('version').textContent = snap.version;
    $('updated').textContent = clock(snap.nowMs);
    $('window').textContent = String(snap.windowSeconds / 60);
    $('backoff').textContent = String(snap.retries.inBackoff);
    $('gate').textContent = snap.retries.gateInUse + ' / ' + snap.retries.gateCapacity;
    $('state').textContent = snap.sharedState.backend + (snap.sharedState.healthy ? ', healthy' : ', UNHEALTHY') + (snap.sharedState.detail ? ' (' + snap.sharedState.detail + ')' : '');
    const list = $('failovers');
    list.replaceChildren();
    if (snap.recentFailovers.length === 0) list.append(el('li', 'none yet', 'muted'));
    for (const f of snap.recentFailovers) {
      const what = f.kind === 'gave-up'
        ? f.from + ': gave up (' + f.reason + (f.rule ? ', rule ' + f.rule : '') + ')'
        : f.from + ' → ' + f.to + (f.kind === 'same-model' ? ' (same model)' : '') + ': ' + f.trigger + ', rule ' + f.rule;
      const li = el('li');
      li.append(el('span', clock(f.atMs) + ' ', 'muted'), el('span', what), el('span', ' ' + f.requestId, 'muted'));
      list.append(li);
    }
  }
  function render() { renderModels(); renderRest(); }
  async function poll() {
    try {
      const res = await fetch('status.json', { cache: 'no-store', credentials: 'same-origin' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      snap = await res.json();
      skewMs = snap.nowMs - Date.now();
      $('banner').className = '';
      render();
    } catch (err) {
      $('banner').textContent = 'Cannot reach the gateway (' + err.message + '); showing the last data.';
      $('banner').className = 'shown';
    }
  }
  render();
  setInterval(renderModels, 500);
  setInterval(poll, 1000);
})();
`;

const BODY = `<h1>Switchyard status</h1>
<div class="meta">version <span id="version"></span> · updated <span id="updated"></span> · latency and errors over the last <span id="window"></span> minutes</div>
<div id="banner" role="alert"></div>
<h2>Models</h2>
<table>
<thead><tr><th>Model</th><th>Provider</th><th>Endpoint</th><th>Health</th><th>TTFT p50</th><th>TTFT p95</th><th>Error rate</th><th>Attempts</th></tr></thead>
<tbody id="models"></tbody>
</table>
<div class="cards">
<div><h2>Retries</h2>in backoff: <span id="backoff"></span> · retry gate in use: <span id="gate"></span></div>
<div><h2>Shared state</h2><span id="state"></span></div>
</div>
<h2>Recent failovers</h2>
<ul id="failovers"></ul>`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Allows exactly this page's script and style, and fetches to its own origin. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  // The empty icon: no request for /favicon.ico.
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON that is safe inside a <script> element: no "<" can close it early. */
function embeddable(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderStatusPage(snapshot: StatusSnapshot): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
${BODY}
<script type="application/json" id="initial">${embeddable(snapshot)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
