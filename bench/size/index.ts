// Script sizes: tracklet's builds, the bytes the injector sends for three configs, and Plausible's and Umami's
// scripts fetched from the npm registry in the same run (into a temp dir, never into the repository).
// Compressed sizes are gzip -9 and brotli q11 via node:zlib, the settings tracklet's own files are built with.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { analytics, createSnippet, parseConfig } from "@tracklet/injector";
import { minify } from "terser";

const require = createRequire(import.meta.url);
const PLAUSIBLE = "@plausible-analytics/tracker@0.4.6";
const UMAMI = "umami@2.10.0";

interface Row {
  name: string;
  raw?: number;
  gzip?: number;
  brotli?: number;
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

/** `npm pack spec` into a temp dir and extract `files`; returns the dir, or why it could not. */
function npmPack(spec: string, files: string[]): { dir: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-size-"));
  const pack = spawnSync("npm", ["pack", spec, "--silent"], { cwd: dir, encoding: "utf8" });
  const tarball = pack.stdout.trim().split("\n").pop() ?? "";
  if (pack.status !== 0 || !tarball) {
    rmSync(dir, { recursive: true, force: true });
    return { error: `npm pack ${spec} failed: ${pack.stderr.trim().slice(0, 80)}` };
  }
  spawnSync("tar", ["xzf", tarball, ...files.map((f) => `package/${f}`)], { cwd: dir });
  const missing = files.find((f) => !existsSync(join(dir, "package", f)));
  if (missing) {
    rmSync(dir, { recursive: true, force: true });
    return { error: `${spec} has no ${missing}` };
  }
  return { dir: join(dir, "package") };
}

/** Plausible's npm tracker (the ESM build with every feature). */
function plausible(): Row {
  const packed = npmPack(PLAUSIBLE, ["plausible.js"]);
  if ("error" in packed) return { name: PLAUSIBLE, note: packed.error };
  try {
    return measure(
      `${PLAUSIBLE} (plausible.js)`,
      readFileSync(join(packed.dir, "plausible.js")),
      "npm ESM build",
    );
  } finally {
    rmSync(dirname(packed.dir), { recursive: true, force: true });
  }
}

/**
 * Umami's tracker. Umami 3.x is not published on npm (the `umami` package stops at 2.10.0), and 2.10.0 ships
 * the tracker's source, not its built script.js: the source is minified here with the terser options of
 * Umami's own rollup.tracker.config (compress.evaluate = false).
 */
async function umami(): Promise<Row> {
  const packed = npmPack(UMAMI, ["src/tracker/index.js"]);
  if ("error" in packed) return { name: UMAMI, note: packed.error };
  try {
    const source = readFileSync(join(packed.dir, "src/tracker/index.js"), "utf8");
    const built = await minify(source, { compress: { evaluate: false } });
    return measure(
      `${UMAMI} tracker`,
      built.code ?? "",
      "Umami 3.x is not on npm; 2.10.0 ships no script.js: its src/tracker minified with Umami's terser options",
    );
  } finally {
    rmSync(dirname(packed.dir), { recursive: true, force: true });
  }
}

/** Config bodies (`[webserver]`) whose bytes on the wire are measured through the injector. */
const CONFIGS: Array<[string, string]> = [
  ["default config (analytics_tool = tracklet)", ""],
  ["pageviews only (analytics_track = none)", "analytics_track = none\n"],
  [
    "full config (every SDK option)",
    "analytics_track = outbound, downloads, tagged, engagement\nanalytics_download_extensions = pdf, zip\n" +
      "analytics_hash_routing = True\nanalytics_include = /app/*\nanalytics_exclude = /app/admin/*\n" +
      "analytics_mask = ref, invite\n",
  ],
];

const get = (url: string, headers: Record<string, string>) =>
  new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });

/**
 * What a browser receives for a config: the page's snippet names the script, and the script is fetched from
 * the injector's route with `Accept-Encoding: gzip, deflate, br` (Chromium's), then with gzip only.
 */
async function wireBytes(name: string, body: string): Promise<Row> {
  const { settings } = parseConfig(`[webserver]\nanalytics_tool = tracklet\n${body}`, { env: {} });
  const snippet = createSnippet(settings);
  const middleware = analytics({ snippet });
  const server = createServer((req, res) =>
    middleware(req, res, () =>
      res.writeHead(200, { "content-type": "text/html" }).end("<html><head></head></html>"),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = (await get(`${base}/`, {})).body.toString();
    const src = /src="([^"]+)"/.exec(page)?.[1] ?? "";
    const raw = await get(`${base}${src}`, {});
    const gzip = await get(`${base}${src}`, { "accept-encoding": "gzip" });
    const brotli = await get(`${base}${src}`, { "accept-encoding": "gzip, deflate, br" });
    if (brotli.headers["content-encoding"] !== "br")
      throw new Error(`${name}: the script was not sent as brotli`);
    const file = basename(snippet.assets?.[0]?.file ?? "");
    return {
      name,
      raw: raw.body.length,
      gzip: gzip.body.length,
      brotli: brotli.body.length,
      note: `serves ${file}`,
    };
  } finally {
    server.close();
  }
}

const sdk = dirname(require.resolve("@tracklet/browser-sdk/tracklet.js"));
const builds: Row[] = [
  measure(
    "tracklet core (tracklet.core.js)",
    readFileSync(join(sdk, "tracklet.core.js")),
    "gzip budget 1,000",
  ),
  measure(
    "tracklet standard (tracklet.standard.js)",
    readFileSync(join(sdk, "tracklet.standard.js")),
    "gzip budget 1,700",
  ),
  measure("tracklet full (tracklet.js)", readFileSync(join(sdk, "tracklet.js")), "gzip budget 2,210"),
];
const configs: Row[] = [];
for (const [name, body] of CONFIGS) configs.push(await wireBytes(name, body));
const others: Row[] = [plausible(), await umami()];

const baseline = others[0]?.brotli;
const table = [
  ["script", "raw", "gzip", "brotli", "brotli vs plausible", "note"],
  ...[...builds, ...configs, ...others].map((r) => [
    r.name,
    r.raw ?? "n/a",
    r.gzip ?? "n/a",
    r.brotli ?? "n/a",
    r.brotli && baseline ? `${(r.brotli / baseline).toFixed(2)}x` : "n/a",
    r.note ?? "",
  ]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => String(r[i]).length))) ?? [];
console.log("bench/size: bytes; the config rows are what the injector's script route sends (body only)");
for (const r of table) console.log(r.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join("  "));
