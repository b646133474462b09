// Script sizes: tracklet's builds beside Plausible's npm tracker and Umami's tracker, raw / gzip -9 / brotli q11.
// Umami's built script.js is not published on npm; its npm tarball ships the tracker source, which is minified
// here with terser using the options of Umami's own rollup.tracker.config (compress.evaluate = false).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { minify } from "terser";

const require = createRequire(import.meta.url);
const UMAMI_VERSION = "2.10.0";

interface Row {
  name: string;
  raw?: number;
  gzip?: number;
  brotli?: number;
  /** tracklet's gzip budget for the build (the same as packages/browser-sdk/scripts/check-size.mjs). */
  budget?: number;
  note?: string;
}

const measure = (name: string, code: Buffer | string, note?: string): Row => {
  const buf = Buffer.from(code);
  return {
    name,
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    ...(note ? { note } : {}),
  };
};

/** Umami's tracker from its npm tarball, fetched into a temp dir for this run only. */
async function umami(): Promise<Row> {
  const name = `umami ${UMAMI_VERSION} tracker`;
  const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-umami-"));
  try {
    const pack = spawnSync("npm", ["pack", `umami@${UMAMI_VERSION}`, "--silent"], {
      cwd: dir,
      encoding: "utf8",
    });
    const tarball = pack.stdout.trim().split("\n").pop() ?? "";
    if (pack.status !== 0 || !tarball)
      return { name, note: `npm pack failed: ${pack.stderr.trim().slice(0, 80)}` };
    const file = "package/src/tracker/index.js";
    const untar = spawnSync("tar", ["xzf", tarball, file], { cwd: dir });
    if (untar.status !== 0 || !existsSync(join(dir, file)))
      return { name, note: "tarball has no src/tracker/index.js" };
    const source = readFileSync(join(dir, file), "utf8");
    const built = await minify(source, { compress: { evaluate: false } });
    return measure(
      name,
      built.code ?? "",
      "npm ships no script.js: src/tracker minified with Umami's terser options",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sdk = dirname(require.resolve("@tracklet/browser-sdk/tracklet.js"));
// The package exports no ./package.json, so locate it next to its entry file.
const plausibleDir = dirname(require.resolve("@plausible-analytics/tracker"));
const plausibleVersion = (
  JSON.parse(readFileSync(join(plausibleDir, "package.json"), "utf8")) as { version: string }
).version;

const rows: Row[] = [
  {
    ...measure("tracklet core (tracklet.core.js)", readFileSync(join(sdk, "tracklet.core.js"))),
    budget: 1000,
  },
  { ...measure("tracklet full (tracklet.js)", readFileSync(join(sdk, "tracklet.js"))), budget: 2000 },
  measure(
    `@plausible-analytics/tracker ${plausibleVersion} (plausible.js)`,
    readFileSync(join(plausibleDir, "plausible.js")),
    "npm ESM build, all features",
  ),
  await umami(),
];

const baseline = rows[2]?.gzip;
const table = [
  ["script", "raw", "gzip", "brotli", "gzip vs plausible", "gzip budget", "note"],
  ...rows.map((r) => [
    r.name,
    r.raw ?? "n/a",
    r.gzip ?? "n/a",
    r.brotli ?? "n/a",
    r.gzip && baseline ? `${(r.gzip / baseline).toFixed(2)}x` : "n/a",
    r.budget && r.gzip
      ? `${r.budget} (${r.gzip <= r.budget ? `${r.budget - r.gzip} under` : `${r.gzip - r.budget} over`})`
      : "",
    r.note ?? "",
  ]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => String(r[i]).length))) ?? [];
console.log("bench/size: bytes, gzip level 9, brotli quality 11");
for (const r of table) console.log(r.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join("  "));
