#!/usr/bin/env node
// Size budgets of the script-tag builds: prints raw/gzip/brotli bytes against each build's gzip budget and fails
// the run when a build is over its budget. gzip level 9 and brotli quality 11 via node:zlib, so the figures are
// the same on every machine.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/**
 * Gzip budgets in bytes, per build. A build fails the run when it is over `ceiling` if it has one, else over
 * `budget`. Only a build that has not reached its budget has a ceiling: its current size plus a few bytes, so
 * no change makes it bigger while the gap is open (see the README's Size section).
 */
export const BUDGETS = [
  { file: "tracklet.core.js", label: "core (pageviews + SPA + transport + privacy)", budget: 1000 },
  {
    file: "tracklet.js",
    label: "full (clicks, downloads, tagged, engagement, bridges)",
    budget: 2000,
    ceiling: 2200,
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
  const limit = b.ceiling ?? b.budget;
  const status =
    m.gzip > limit
      ? `FAIL: over the ${b.ceiling ? "ceiling" : "budget"} by ${m.gzip - limit}`
      : m.gzip > b.budget
        ? `over the budget by ${m.gzip - b.budget}`
        : `ok, ${b.budget - m.gzip} under`;
  if (m.gzip > limit) failed++;
  rows.push([b.file, m.raw, m.gzip, m.brotli, b.budget, b.ceiling ?? "", status]);
}
const head = ["build", "raw", "gzip", "brotli", "gzip budget", "gzip ceiling", ""];
const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
if (failed) {
  console.error(`size: ${failed} build(s) over their gzip limit`);
  process.exit(1);
}
