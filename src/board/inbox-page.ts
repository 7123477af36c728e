/**
 * The inbox page of `npm start` (/inbox on the release board): the notifications its worker
 * delivered to the local inbox, newest first, refreshed every few seconds from /api/inbox. Every
 * text goes into the page as textContent, never as markup.
 */
export function inboxPage(refreshMs: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Release notifications</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#111827;background:#f8fafc}
header{background:#0f172a;color:#fff;padding:10px 20px}header a{color:#93c5fd;margin-left:16px}
main{padding:16px 20px;max-width:1200px}table{border-collapse:collapse;width:100%}
td,th{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
.muted{color:#6b7280}code{font-size:12px}
</style></head>
<body><header><strong>Release notifications</strong> (the local inbox of npm start)<a href="/">release board</a><a href="/api/inbox">JSON</a></header>
<main><p class="muted" id="summary">loading…</p>
<table><thead><tr><th>when</th><th>release</th><th>type</th><th>what</th><th>id</th></tr></thead><tbody id="rows"></tbody></table></main>
<script>
const rows = document.getElementById('rows');
const summary = document.getElementById('summary');
function cell(text, tag) { const td = document.createElement('td'); const el = tag ? document.createElement(tag) : td; el.textContent = text; if (tag) td.appendChild(el); return td; }
async function refresh() {
  try {
    const answer = await (await fetch('/api/inbox', { cache: 'no-store' })).json();
    const list = answer.notifications || [];
    summary.textContent = list.length + ' notification(s), newest first';
    rows.replaceChildren(...list.map((entry) => {
      const n = entry.notification;
      const tr = document.createElement('tr');
      tr.append(cell(n.at), cell(n.releaseId + ' (' + n.version + ')'), cell(n.type), cell(n.text), cell(n.id, 'code'));
      return tr;
    }));
  } catch (error) { summary.textContent = 'could not read the inbox: ' + error; }
}
refresh(); setInterval(refresh, ${Math.max(1000, refreshMs)});
</script></body></html>`;
}
