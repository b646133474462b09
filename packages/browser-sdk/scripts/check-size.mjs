#!/usr/bin/env node
// Size budgets of the script-tag builds: prints raw/gzip/brotli bytes against each build's gzip target, and fails
// when a build grows past its ceiling. gzip level 9 and brotli quality 11 via node:zlib, so the figures are the
// same on every machine.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/**
 * Gzip sizes in bytes, per build. `target` is the goal (1 KB core, 2 KB full); the builds are not there yet
 * (see the README's Size section), so `ceiling` — the current size plus a small margin — is what fails the run:
 * no change may make a build bigger while the targets are open.
 */
export const BUDGETS = [
  { file: "tracklet.core.js", label: "core (pageviews + SPA + transport)", target: 1000, ceiling: 1240 },
  {
    file: "tracklet.js",
    label: "full (clicks, downloads, tagged, engagement, bridges)",
    target: 2000,
    ceiling: 2320,
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
  const status =
    m.gzip > b.ceiling
      ? `FAIL: over the ceiling by ${m.gzip - b.ceiling}`
      : m.gzip > b.target
        ? `over the target by ${m.gzip - b.target}`
        : "ok";
  if (m.gzip > b.ceiling) failed++;
  rows.push([b.file, m.raw, m.gzip, m.brotli, b.target, b.ceiling, status]);
}
const head = ["build", "raw", "gzip", "brotli", "gzip target", "gzip ceiling", ""];
const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
if (failed) {
  console.error(`size: ${failed} build(s) grew past their gzip ceiling`);
  process.exit(1);
}
