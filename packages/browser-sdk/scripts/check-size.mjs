#!/usr/bin/env node
// Size budgets of the script-tag builds: prints raw bytes and the bytes on the wire (the precompressed
// dist/*.gz and dist/*.br the injector serves) and fails the run when a build's gzip form is over its budget,
// or when a precompressed file is missing or does not hold the build.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Gzip budgets in bytes, per build; all are hard limits. */
const BUDGETS = [
  { file: "tracklet.core.js", label: "core (pageviews + SPA + transport + privacy)", budget: 1000 },
  {
    file: "tracklet.standard.js",
    label: "standard (core + custom events, tagged clicks, engagement)",
    budget: 1700,
  },
  {
    file: "tracklet.js",
    label: "full (standard + outbound, downloads, include/exclude, bridges)",
    budget: 2210,
  },
];

/** The file's bytes, or the reason the run cannot go on. */
function read(file) {
  try {
    return readFileSync(join(dist, file));
  } catch {
    console.error(
      `size: dist/${file} is missing; run the build first (pnpm --filter @tracklet/browser-sdk run build)`,
    );
    process.exit(1);
  }
}

let failed = 0;
const rows = [];
for (const b of BUDGETS) {
  const body = read(b.file);
  const gzip = read(`${b.file}.gz`);
  const brotli = read(`${b.file}.br`);
  if (!gunzipSync(gzip).equals(body) || !brotliDecompressSync(brotli).equals(body)) {
    console.error(`size: dist/${b.file}.gz or .br does not hold dist/${b.file}; run the build again`);
    process.exit(1);
  }
  const over = gzip.length - b.budget;
  if (over > 0) failed++;
  const status = over > 0 ? `FAIL: over the budget by ${over}` : `ok, ${-over} under`;
  rows.push([b.file, body.length, gzip.length, brotli.length, b.budget, status]);
}
const head = ["build", "raw", "gzip", "brotli", "gzip budget", ""];
const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join("  "));
if (failed) {
  console.error(`size: ${failed} build(s) over their gzip budget`);
  process.exit(1);
}
