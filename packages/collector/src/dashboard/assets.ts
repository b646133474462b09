/**
 * The page's only CSS and JS, inlined with a per-response CSP nonce. Kept small on purpose (the vitest suite
 * checks the gzip budget); the JS only hides the custom from–to fields when a preset is picked — the page works
 * the same with JS off.
 */

export const DASHBOARD_CSS = `:root{color-scheme:light;--fg:#1f2328;--muted:#4b5563;--line:#d0d4da;--accent:#1d4ed8;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1180px;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:0 0 .5rem}
a{color:var(--accent)}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.controls{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin:.75rem 0}
.field{display:flex;flex-direction:column;gap:.2rem}.field label{font-size:.85rem;color:var(--muted)}
.field.check{flex-direction:row;align-items:center;gap:.4rem}
fieldset{border:0;padding:0;margin:0;display:flex;gap:.75rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #6b7280;border-radius:4px;background:#fff;color:var(--fg)}
button{background:var(--accent);border-color:var(--accent);color:#fff;cursor:pointer}
.presets a{margin-right:.75rem}
.presets [aria-current]{font-weight:700;color:var(--fg)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:.75rem;list-style:none;padding:0;margin:0}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .75rem}
.card .label,.delta,.exports,.props,.empty,.note{font-size:.85rem;color:var(--muted)}
.card .label{display:block}
.card .value{display:block;font-size:1.5rem;font-weight:600}
.delta{display:block}.up{color:#116329}.down{color:#b42318}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin:0 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:1rem}
.grid section{margin:0}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
thead th{font-size:.85rem;color:var(--muted)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.chart{width:100%;height:auto;display:block}
figure.funnel{margin:0 0 1rem}figure.funnel figcaption{font-weight:600}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0;margin:.5rem 0;font-size:.85rem}
.swatch{display:inline-block;width:1.6em;border-top:3px solid;vertical-align:middle;margin-right:.35em}
.pv{border-color:#1d4ed8}.vi{border-color:#a34400}.prev{border-top-style:dashed}
.props{margin:.2rem 0 0;padding-left:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.error{border-color:#b42318}
.sign-out{float:right}
`;

export const DASHBOARD_JS = `(function(){var f=document.querySelector("form.controls");if(!f)return;var r=f.elements.namedItem("range"),c=document.getElementById("custom-range");function s(){var on=r.value==="custom";c.hidden=!on;c.disabled=!on}r.addEventListener("change",s);s()})();`;
