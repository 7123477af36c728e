/**
 * The board's one page: plain HTML, CSS and a script that fetches the board's JSON every two
 * seconds and draws it. Every text from a release is set with textContent (never parsed as HTML).
 * Accounts are 10-pixel cells in a grid, so thousands fit on one screen; their colour is the
 * state (pending, deploying) or the outcome, and the title names the account.
 */
const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{background:#1d2433;color:#fff;padding:10px 16px;font-weight:600}
#layout{display:flex;gap:16px;padding:16px}
nav{width:260px;flex:none}
nav a{display:block;padding:6px 8px;border-radius:4px;color:inherit;text-decoration:none}
nav a.sel{background:#dde3ee}
main{flex:1;min-width:0}
.badge{display:inline-block;padding:1px 6px;border-radius:8px;background:#dde3ee;font-size:12px;margin-left:6px}
.wave{margin:6px 0}.bar{height:14px;background:#e3e6eb;border-radius:7px;overflow:hidden;display:flex}
.bar span{height:100%}
#cells{display:grid;grid-template-columns:repeat(auto-fill,10px);gap:2px;margin:8px 0}
.cell{width:10px;height:10px;border-radius:2px;display:block}
.s-pending{background:#c9ced6}.s-deploying{background:#3b82f6}.s-promoted{background:#16a34a}
.s-rolled-back{background:#f59e0b}.s-failed{background:#dc2626}.s-cancelled{background:#6b7280}
.s-reverted{background:#8b5cf6}.s-not-released{background:#e5e7eb;outline:1px solid #c9ced6}
#counts li,#legend li{display:inline-block;margin-right:12px}
#counts .cell,#legend .cell{display:inline-block;margin-right:4px;vertical-align:middle}
#issues li{color:#b91c1c}
#timeline{font:12px ui-monospace,monospace;max-height:320px;overflow:auto;background:#fff;padding:8px;border-radius:4px}
ul{padding-left:0;list-style:none}`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const STATES = ['pending','deploying','promoted','rolled-back','failed','cancelled','reverted','not-released'];
const keyOf = (a) => a.state === 'done' ? (a.outcome || 'done') : a.state;
const wfLink = (id) => UI + '/namespaces/' + encodeURIComponent(NS) + '/workflows/' + encodeURIComponent(id);
let selected = decodeURIComponent(location.hash.slice(1));
async function load() {
  try {
    const list = await (await fetch('/api/releases')).json();
    const nav = $('releases'); nav.replaceChildren();
    if (!selected && list.length) selected = list[0].releaseId;
    for (const r of list) {
      const a = el('a', r.releaseId === selected ? 'sel' : '', r.releaseId);
      a.href = '#' + encodeURIComponent(r.releaseId);
      a.append(el('span', 'badge', r.stage || r.status));
      nav.append(a);
    }
    if (!selected) { $('release').hidden = true; $('empty').hidden = false; return; }
    const rel = await (await fetch('/api/releases/' + encodeURIComponent(selected))).json();
    if (rel.error) throw new Error(rel.error);
    draw(rel);
    $('updated').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
  } catch (error) { $('updated').textContent = 'cannot read Temporal: ' + error.message; }
}
function draw(rel) {
  $('empty').hidden = true; $('release').hidden = false;
  $('title').textContent = 'release ' + rel.releaseId + (rel.targetVersion ? ' → ' + rel.targetVersion : '');
  $('stage').textContent = rel.stage; $('day').textContent = rel.day === null ? '-' : String(rel.day);
  const link = $('ui-link'); link.href = wfLink('release-' + rel.releaseId);
  const accounts = Object.entries(rel.accounts);
  const counts = {}; for (const [, a] of accounts) counts[keyOf(a)] = (counts[keyOf(a)] || 0) + 1;
  const ul = $('counts'); ul.replaceChildren();
  for (const key of STATES.concat(Object.keys(counts).filter((k) => !STATES.includes(k)))) {
    if (!counts[key]) continue;
    const li = el('li'); li.dataset.count = key; li.append(el('span', 'cell s-' + key), el('span', 'n', String(counts[key])), ' ' + key);
    ul.append(li);
  }
  $('total').textContent = String(accounts.length);
  const waves = $('waves'); waves.replaceChildren();
  for (const wave of [...new Set(accounts.map(([, a]) => a.wave))].sort()) {
    const inWave = accounts.filter(([, a]) => a.wave === wave);
    const done = inWave.filter(([, a]) => a.state === 'done').length;
    const row = el('div', 'wave'); row.dataset.wave = String(wave); row.dataset.done = String(done); row.dataset.total = String(inWave.length);
    row.append(el('div', '', 'wave ' + wave + ': ' + done + ' of ' + inWave.length + ' done'));
    const bar = el('div', 'bar');
    for (const key of STATES) {
      const n = inWave.filter(([, a]) => keyOf(a) === key).length;
      if (n) { const part = el('span', 's-' + key); part.style.width = (100 * n / inWave.length) + '%'; bar.append(part); }
    }
    row.append(bar); waves.append(row);
  }
  const cells = $('cells'); cells.replaceChildren();
  for (const [id, a] of accounts.sort((x, y) => x[1].wave - y[1].wave || (x[0] < y[0] ? -1 : 1))) {
    const cell = el(a.attempted ? 'a' : 'span', 'cell s-' + keyOf(a));
    cell.title = id + ': ' + keyOf(a) + ' (wave ' + a.wave + ')'; cell.dataset.account = id;
    if (a.attempted) { cell.href = wfLink('release-' + rel.releaseId + '/' + id + '/' + a.attempted); cell.target = '_blank'; }
    cells.append(cell);
  }
  const issues = $('issues'); issues.replaceChildren();
  for (const i of rel.openIssues) issues.append(el('li', '', '#' + i.id + ' ' + i.summary));
  $('no-issues').hidden = rel.openIssues.length > 0;
  const timeline = $('timeline'); timeline.replaceChildren();
  for (const e of rel.timeline.slice().reverse())
    timeline.append(el('div', '', e.at.slice(11, 19) + '  ' + e.event + (e.detail ? ' — ' + e.detail : '')));
}
window.addEventListener('hashchange', () => { selected = decodeURIComponent(location.hash.slice(1)); load(); });
load(); setInterval(load, 2000);`;

export function boardPage(options: { uiUrl: string; namespace: string }): string {
  const config = `const UI = ${JSON.stringify(options.uiUrl)}; const NS = ${JSON.stringify(options.namespace)};`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Staged Release board</title><style>${STYLE}</style></head>
<body><header>Staged Release board <span id="updated" class="badge"></span></header>
<div id="layout"><nav id="releases"></nav>
<main><p id="empty">No release yet: start one (npm run demo).</p>
<section id="release" hidden>
<h2><span id="title"></span> <a id="ui-link" target="_blank">open in the Temporal UI</a></h2>
<p>stage <b id="stage"></b> · day <b id="day"></b> · <b id="total"></b> accounts</p>
<ul id="counts"></ul>
<div id="waves"></div>
<div id="cells"></div>
<h3>Open issues</h3><p id="no-issues">none</p><ul id="issues"></ul>
<h3>Timeline</h3><div id="timeline"></div>
</section></main></div>
<script>${config}${SCRIPT}</script></body></html>`;
}
