"""The HTML report's inline stylesheet and script (no external resources)."""

from __future__ import annotations

CSS = """
:root { --fg:#1f2933; --muted:#616e7c; --line:#d9dee3; --bg:#ffffff; --soft:#f5f7fa;
  --good:#1a7f37; --bad:#c62828; --accent:#2b6cb0; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color:var(--fg); background:#eef1f5; }
main { max-width:1260px; margin:0 auto; padding:24px 28px 60px; }
h1 { font-size:26px; margin:0 0 4px; } h2 { font-size:19px; margin:0 0 10px; }
h3 { font-size:15px; margin:14px 0 6px; }
.meta, .note, .hint { color:var(--muted); } .hint { font-size:12.5px; margin:4px 0 10px; }
section.card { background:var(--bg); border:1px solid var(--line); border-radius:10px;
  padding:18px 22px; margin:18px 0; box-shadow:0 1px 2px rgba(16,24,40,.04); }
.kpis { display:flex; flex-wrap:wrap; gap:12px; margin:12px 0; }
.kpi { flex:1 1 200px; background:var(--soft); border-radius:8px; padding:10px 14px; }
.kpi .v { font-size:22px; font-weight:650; } .kpi .k { color:var(--muted); font-size:12.5px; }
.chips { display:flex; flex-wrap:wrap; gap:6px; margin:6px 0 10px; }
.chip { border-radius:999px; padding:2px 10px; font-size:13px; border:1px solid var(--line); }
.chip.up { background:#e6f4ea; border-color:#a8d5b5; color:var(--good); }
.chip.down { background:#fdecea; border-color:#f1b5b0; color:var(--bad); }
.chip.flat { background:var(--soft); color:var(--muted); }
.grid2 { display:grid; grid-template-columns:1fr 1fr; gap:18px; }
@media (max-width:1100px) { .grid2 { grid-template-columns:1fr; } }
@media (max-width:900px) { main { padding:16px 10px 40px; } section.card { padding:14px 14px; } }
svg.chart { max-width:100%; height:auto; display:block; }
svg text { font-family:inherit; fill:#333; font-size:12px; }
svg .tick { fill:#6b7280; font-size:11px; } svg .axis { fill:#4b5563; font-size:12px; }
svg .lbl { font-size:12.5px; } svg .strong { font-weight:650; } svg .small { font-size:11px; }
svg .th { font-weight:600; font-size:11.5px; fill:#4b5563; } svg .lg { font-size:12px; }
svg .delta { font-size:12px; } svg .sig { font-weight:700; } svg .note { fill:#8a8f98; }
svg rect.bar:hover, svg circle.pt:hover { opacity:.8; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { padding:5px 8px; border-bottom:1px solid #edf0f3; text-align:left; vertical-align:top; }
th { background:var(--soft); font-weight:600; position:sticky; top:0; }
td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; }
tr.best td { background:#fffbe6; }
.up { color:var(--good); } .down { color:var(--bad); } .ns { color:var(--muted); }
.o { display:inline-block; border-radius:4px; padding:0 5px; font-size:11px; font-weight:600;
  margin-right:4px; }
.o-tp { background:#e6f4ea; color:var(--good); } .o-tn { background:#eef1f5; color:#616e7c; }
.o-fp, .o-fn, .o-mismatch { background:#fdecea; color:var(--bad); }
td.bestcol, th.bestcol { background:#fffbe6; } th.bestcol { background:#fff3bf; }
.empty { color:#9aa5b1; font-style:italic; }
tr.ctx td { background:var(--soft); white-space:pre-wrap; font-size:12.5px; }
mark.g { background:#c6f6d5; } mark.p { background:#fed7d7; } mark.gp { background:#fefcbf; }
.filters { display:flex; flex-wrap:wrap; gap:12px; align-items:center; margin:8px 0 12px; }
.filters label { font-size:13px; color:var(--muted); }
select, input[type=search] { font:inherit; padding:3px 6px; border:1px solid var(--line);
  border-radius:6px; background:#fff; }
.scroll { max-height:640px; overflow:auto; border:1px solid var(--line); border-radius:8px; }
.doc { border:1px solid var(--line); border-radius:8px; padding:8px 12px; margin:8px 0; }
.doc h3 { margin:2px 0 6px; font-family:ui-monospace, Menlo, Consolas, monospace; }
td.id { white-space:nowrap; }
code, .mono { font-family:ui-monospace, Menlo, Consolas, monospace; font-size:12.5px; }
details summary { cursor:pointer; color:var(--accent); margin:8px 0; }
footer { color:var(--muted); font-size:12px; text-align:center; margin-top:20px; }
.empty-chart { color:var(--muted); background:var(--soft); border-radius:8px;
  padding:28px 18px; text-align:center; }
table.fixed { table-layout:fixed; } col.c-field { width:180px; }
.nowrap td, td.n, td.name { white-space:nowrap; }
.diffs td.key { font-family:ui-monospace, Menlo, Consolas, monospace; white-space:nowrap; }
"""

JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lb-data").textContent);
  var sel = document.getElementById("lc-field");
  if (sel) {
    sel.addEventListener("change", function () {
      document.querySelectorAll("[data-lc]").forEach(function (el) {
        el.hidden = el.getAttribute("data-lc") !== sel.value;
      });
    });
  }
  var eb = data.errors, ri = {};
  eb.rounds.forEach(function (r, i) { ri[r] = i; });
  var WRONG = {fp: 1, fn: 1, mismatch: 1};
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (txt !== undefined) { e.textContent = txt; }
    return e;
  }
  function values(v, cell) {
    if (!v.length) { cell.appendChild(el("span", "empty", "(none)")); return; }
    cell.appendChild(el("span", "", v.join(" | ")));
  }
  function inside(spans, at) {
    return spans.some(function (s) { return s[0] <= at && at < s[1]; });
  }
  function excerpt(ctx, width) {
    // ctx: [start, text, gold spans, predicted spans, seen]; spans in document characters
    var tr = el("tr", "ctx"), td = el("td"), start = ctx[0], text = ctx[1];
    td.colSpan = width;
    td.appendChild(el("span", "note", "text around it (gold green, predicted red, both " +
      "yellow" + (ctx[4] !== null ? "; the model saw characters 0-" + ctx[4] : "") + "): "));
    if (start > 0) { td.appendChild(document.createTextNode("…")); }
    var run = "", kind = "";
    function flush() {
      if (!run) { return; }
      td.appendChild(kind ? el("mark", kind, run) : document.createTextNode(run));
      run = "";
    }
    for (var i = 0; i < text.length; i++) {
      var g = inside(ctx[2], start + i), p = inside(ctx[3], start + i);
      var k = g && p ? "gp" : g ? "g" : p ? "p" : "";
      if (k !== kind) { flush(); kind = k; }
      run += text.charAt(i);
    }
    flush();
    td.appendChild(document.createTextNode("…"));
    tr.appendChild(td);
    return tr;
  }
  function matches(row, f) {
    if (f.field && row[1] !== f.field) { return false; }
    if (f.q && row[0].toLowerCase().indexOf(f.q) < 0) { return false; }
    var o = row[3][ri[f.round]][0];
    if (f.outcome === "wrong" && !WRONG[o]) { return false; }
    if (f.outcome === "correct" && WRONG[o]) { return false; }
    if (["tp", "tn", "fp", "fn", "mismatch"].indexOf(f.outcome) >= 0 && o !== f.outcome) {
      return false;
    }
    if (f.changed && o === row[3][ri[eb.reference]][0]) { return false; }
    return true;
  }
  function render() {
    var f = {
      field: document.getElementById("eb-field").value,
      round: document.getElementById("eb-round").value,
      outcome: document.getElementById("eb-outcome").value,
      changed: document.getElementById("eb-changed").checked,
      q: document.getElementById("eb-q").value.trim().toLowerCase()
    };
    var body = document.getElementById("eb-body"), limit = 400, shown = 0, total = 0;
    body.textContent = "";
    eb.rows.forEach(function (row) {
      if (!matches(row, f)) { return; }
      total += 1;
      if (shown >= limit) { return; }
      shown += 1;
      var tr = el("tr");
      tr.appendChild(el("td", "mono id", row[0]));
      tr.appendChild(el("td", "", row[1]));
      var g = el("td"); values(row[2], g); tr.appendChild(g);
      row[3].forEach(function (c, i) {
        var td = el("td", eb.rounds[i] === eb.best ? "bestcol" : "");
        td.appendChild(el("span", "o o-" + c[0], c[0]));
        if (c[0] !== "tp" && c[0] !== "tn") { values(c[1], td); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
      var ctx = row[3][ri[f.round]][2];
      if (ctx) { body.appendChild(excerpt(ctx, 3 + eb.rounds.length)); }
    });
    document.getElementById("eb-count").textContent = total + " pair(s) match" +
      (total > shown ? "; showing the first " + shown : "");
  }
  ["eb-field", "eb-round", "eb-outcome", "eb-changed", "eb-q"].forEach(function (id) {
    var node = document.getElementById(id);
    node.addEventListener(node.tagName === "INPUT" && node.type === "search" ? "input" :
      "change", render);
  });
  render();
  var visible = Array.prototype.filter.call(document.querySelectorAll("svg.chart"),
    function (s) { return s.getBoundingClientRect().width > 0; });
  var marks = document.querySelectorAll("svg.chart rect.bar, svg.chart circle.pt").length;
  document.body.setAttribute("data-charts", String(visible.length));
  document.body.setAttribute("data-rendered", visible.length >= 3 && marks > 0 ? "ok" : "fail");
})();
"""

__all__ = ["CSS", "JS"]
