#!/usr/bin/env node
// Writes the brotli (quality 11) and gzip (level 9) forms of the script-tag builds next to them
// (dist/tracklet.js.br, dist/tracklet.js.gz, …): servers send these bytes as they are, compressing nothing per
// request.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** The script-tag builds, as rollup.config.mjs writes them. */
const SCRIPT_BUILDS = ["tracklet.js", "tracklet.standard.js", "tracklet.core.js"];

/** brotli q11 and gzip -9 of a build, with the size hint brotli uses to pick its window. */
function precompress(body) {
  return {
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz: gzipSync(body, { level: 9 }),
  };
}

for (const file of SCRIPT_BUILDS) {
  const body = readFileSync(join(dist, file));
  const { br, gz } = precompress(body);
  writeFileSync(join(dist, `${file}.br`), br);
  writeFileSync(join(dist, `${file}.gz`), gz);
}
