/**
 * The board's one HTML page. It draws the release list at `/` and one release at `/releases/<id>`,
 * fetching the board's JSON every few seconds. Every text from a release (ids, reasons, summaries)
 * goes into the page as textContent, never as markup.
 */

export interface PageSettings {
  /** Base URL of the Temporal UI, for links to each workflow. */
  uiUrl: string;
  namespace: string;
  refreshMs: number;
}

const MARKS = [
  ['pending', '#d0d4da', 'pending'],
  ['deploying', '#3b82f6', 'deploying'],
  ['promoted', '#16a34a', 'promoted'],
  ['rolled-back', '#f59e0b', 'rolled back'],
  ['failed', '#dc2626', 'failed'],
  ['cancelled', '#6b7280', 'cancelled'],
  ['reverted', '#a855f7', 'reverted'],
  ['not-released', '#111827', 'not released'],
] as const;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#111827;background:#f8fafc}
header{background:#0f172a;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline}
header a{color:#93c5fd}main{padding:16px 20px;max-width:1400px}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left}
.facts span{margin-right:18px}.bar{display:flex;height:14px;width:420px;background:#e5e7eb;border-radius:3px;overflow:hidden}
.wave{display:flex;gap:14px;align-items:center;margin:4px 0}.wave .label{width:60px;font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:2px}.cell{width:76px;height:20px;font-size:11px;overflow:hidden;white-space:nowrap;
text-overflow:ellipsis;color:#fff;padding:0 3px;border-radius:2px;text-decoration:none;line-height:20px}
.grid.dense .cell{width:9px;height:9px;padding:0;font-size:0;border-radius:1px}
.legend span{display:inline-flex;align-items:center;margin-right:12px}.legend i{width:12px;height:12px;margin-right:4px;display:inline-block}
.issue{background:#fef2f2;border-left:3px solid #dc2626;padding:4px 8px;margin:4px 0}.muted{color:#6b7280}
.error{background:#fee2e2;padding:6px 10px}.zero{display:none}.cell[data-mark=pending]{color:#374151}`;

/** Runs in the browser: plain JavaScript, no build step. */
const SCRIPT = `
const S = JSON.parse(document.getElementById('settings').textContent);
const MARKS = S.marks;
const el = (tag, attrs = {}, ...kids) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const kid of kids) node.append(kid);
  return node;
};
const ui = (workflowId) => S.uiUrl + '/namespaces/' + encodeURIComponent(S.namespace) + '/workflows/' + encodeURIComponent(workflowId);
const main = document.querySelector('main');
const releaseId = decodeURIComponent((location.pathname.match(/^\\/releases\\/([^/]+)$/) || [])[1] || '');

async function load(url) {
  const res = await fetch(url, { cache: 'no-store' });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function renderList(list) {
  const rows = list.releases.map((r) => el('tr', {},
    el('td', {}, el('a', { href: '/releases/' + encodeURIComponent(r.releaseId || r.workflowId) }, r.releaseId || r.workflowId)),
    el('td', {}, r.version || ''), el('td', { 'data-stage': r.stage || '' }, r.stage || ''), el('td', {}, r.status),
    el('td', {}, r.startTime.replace('T', ' ').slice(0, 19)), el('td', {}, el('a', { href: ui(r.workflowId) }, 'Temporal UI'))));
  main.replaceChildren(el('h2', {}, 'Releases'), rows.length
    ? el('table', { id: 'releases' }, el('tr', {}, ...['release', 'version', 'stage', 'status', 'started', ''].map((h) => el('th', {}, h))), ...rows)
    : el('p', { class: 'muted' }, 'No release yet. Start one from the runbook (README).'));
}

function waveRow(name, counts) {
  const bar = el('div', { class: 'bar' });
  const facts = el('span', { 'data-testid': name + '-counts' });
  for (const [mark, colour, label] of MARKS) {
    const n = counts[mark] || 0;
    if (n && counts.total) bar.append(el('div', { style: 'background:' + colour + ';width:' + (100 * n / counts.total) + '%', title: label + ': ' + n }));
    facts.append(el('span', { 'data-mark': mark, 'data-count': String(n), class: n ? '' : 'zero' }, label + ' ' + n + '  '));
  }
  return el('div', { class: 'wave', 'data-testid': name }, el('span', { class: 'label' }, name.replace('wave', 'wave ')),
    bar, el('span', {}, (counts.done || 0) + '/' + counts.total + ' done'), facts);
}

function renderRelease(r) {
  const o = r.overview;
  const colour = Object.fromEntries(MARKS.map(([m, c]) => [m, c]));
  const label = Object.fromEntries(MARKS.map(([m, , l]) => [m, l]));
  const facts = el('div', { class: 'facts' },
    el('span', {}, 'version ', el('b', {}, o.originalVersion === o.targetVersion ? o.targetVersion : o.originalVersion + ' → ' + o.targetVersion)),
    el('span', { 'data-testid': 'stage' }, 'stage ', el('b', {}, o.stage)), el('span', { 'data-testid': 'day' }, 'day ', el('b', {}, String(o.day))),
    el('span', {}, 'kind ', el('b', {}, o.kind)), el('span', {}, 'accounts ', el('b', { 'data-testid': 'accounts-total' }, String(o.accountsTotal))),
    el('span', {}, el('a', { href: ui(r.workflowId) }, 'open in Temporal UI')));
  const notices = [];
  if (o.paused) notices.push('paused' + (o.pauseReason ? ': ' + o.pauseReason : ''));
  if (o.holdReason) notices.push('held: ' + o.holdReason);
  if (o.newSwapsHeld) notices.push(o.newSwapsHeld);
  if (o.freeze && o.freeze.waitingOn) notices.push('waiting: ' + o.freeze.waitingOn.summary);
  const grid = el('div', { class: 'grid' + (r.cells.length > 300 ? ' dense' : ''), 'data-testid': 'cells' });
  for (const [id, wave, mark, version, swapId] of r.cells) {
    const title = id + ' (wave ' + wave + '): ' + (label[mark] || mark) + (version ? ', runs ' + version : '');
    grid.append(el('a', { class: 'cell', 'data-account': id, 'data-mark': mark, title, style: 'background:' + (colour[mark] || '#9ca3af'),
      href: swapId ? ui(swapId) : undefined }, id));
  }
  const legend = el('div', { class: 'legend' }, ...MARKS.map(([m, c, l]) => el('span', {}, el('i', { style: 'background:' + c }), l)));
  const s = o.schedule;
  const when = (t) => t.replace('T', ' ').slice(0, 16) + ' UTC';
  const plan = el('table', { 'data-testid': 'plan' },
    el('tr', {}, el('td', {}, 'Day 1: wave 1'), el('td', {}, when(s.startAt))),
    el('tr', {}, el('td', {}, 'Day 2: patch of wave 1 if needed'), el('td', {}, when(s.day2At))),
    el('tr', {}, el('td', {}, 'Day 3: wave 2'), el('td', {}, when(s.day3At))));
  const issues = o.openIssues.map((i) => el('div', { class: 'issue' }, '#' + i.id + ' ' + i.summary + ' (' + i.source + ', ' + i.openedAt + ')'));
  const timeline = el('table', { 'data-testid': 'timeline' }, ...o.timeline.slice().reverse().map((t) =>
    el('tr', {}, el('td', { class: 'muted' }, t.at.replace('T', ' ').slice(0, 19)), el('td', {}, t.event), el('td', {}, t.detail || ''))));
  main.replaceChildren(el('h2', {}, 'Release ' + o.releaseId), facts,
    ...notices.map((n) => el('p', { class: 'issue', 'data-testid': 'notice' }, n)),
    el('h2', {}, 'Waves'), o.waves.wave0 ? waveRow('wave0', o.waves.wave0) : '', waveRow('wave1', o.waves.wave1), waveRow('wave2', o.waves.wave2),
    el('h2', {}, 'Accounts'), legend, grid,
    r.cellsOmitted ? el('p', { class: 'muted' }, r.cellsOmitted + ' more accounts not drawn') : '',
    el('h2', {}, 'Open issues (' + o.openIssues.length + ')'), ...(issues.length ? issues : [el('p', { class: 'muted' }, 'none')]),
    el('h2', {}, 'Plan'), plan, el('h2', {}, 'Timeline'), timeline,
    el('p', { class: 'muted', 'data-testid': 'read-at' }, 'read from Temporal at ' + r.readAt));
}

async function refresh() {
  try {
    if (releaseId) renderRelease(await load('/api/releases/' + encodeURIComponent(releaseId)));
    else renderList(await load('/api/releases'));
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error', 'data-testid': 'error' }, String(error.message || error)));
  }
  setTimeout(refresh, S.refreshMs);
}
refresh();
`;

export function boardPage(settings: PageSettings): string {
  // JSON inside a script element: "<" escaped so no text can close the element.
  const json = JSON.stringify({ ...settings, marks: MARKS }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Staged Release board</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><h1><a href="/" style="color:#fff;text-decoration:none">Staged Release board</a></h1>
<span>read-only, from Temporal; refreshes every ${Math.round(settings.refreshMs / 1000)} s</span>
<a href="${encodeURI(settings.uiUrl)}">Temporal UI</a></header><main><p class="muted">loading ...</p></main>
<script type="application/json" id="settings">${json}</script><script>${SCRIPT}</script></body></html>`;
}
