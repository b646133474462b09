#!/usr/bin/env node
// Size budget of the script-tag builds: prints raw/gzip/brotli bytes and fails when a gzip budget is exceeded.
// gzip level 9 and brotli quality 11 via node:zlib, so the figures are the same on every machine.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Gzip budgets in bytes, per build. */
export const BUDGETS = [
  { file: "tracklet.core.js", label: "core (pageviews + SPA + transport)", gzip: 1000 },
  {
    file: "tracklet.js",
    label: "full (clicks, downloads, tagged, engagement, bridges, contexts)",
    gzip: 2000,
  },
];

/** raw, gzip -9 and brotli q11 byte counts of a buffer. */
export function measure(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

let failed = 0;
const rows = [];
for (const b of BUDGETS) {
  let buf;
  try {
    buf = readFileSync(join(dist, b.file));
  } catch {
    console.error(
      `size: dist/${b.file} is missing; run the build first (pnpm --filter @tracklet/browser-sdk run build)`,
    );
    process.exit(1);
  }
  const m = measure(buf);
  const ok = m.gzip <= b.gzip;
  if (!ok) failed++;
  rows.push([b.file, m.raw, m.gzip, m.brotli, b.gzip, ok ? "ok" : `OVER by ${m.gzip - b.gzip}`]);
}
const head = ["build", "raw", "gzip", "brotli", "gzip budget", ""];
const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
if (failed) {
  console.error(`size: ${failed} build(s) over the gzip budget`);
  process.exit(1);
}
