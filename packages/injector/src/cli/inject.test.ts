import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse-config.js";
import { browserSdkFile } from "../snippet/browser-sdk-file.js";
import { createSnippet } from "../snippet/create-snippet.js";
import { contentHashedPath } from "../snippet/sdk-script.js";
import { main } from "./main.js";

const PAGE = "<!doctype html><html><head><title>t</title></head><body>x</body></html>";
let dir: string;

function io() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
      cwd: dir,
    },
  };
}

async function run(...args: string[]) {
  const { out, io: streams } = io();
  const code = await main(args, streams);
  return { code, ...out };
}

function write(path: string, text: string): string {
  const full = join(dir, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, text);
  return full;
}

const read = (path: string) => readFileSync(join(dir, path), "utf8");
const snippets = (text: string) => text.split("data-tracklet-snippet").length - 1;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tracklet-inject-"));
  write("airflow.cfg", "[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-ABC123\n");
});

describe("tracklet inject", () => {
  it("injects a file in place and reports it", async () => {
    write("site/index.html", PAGE);
    const result = await run("inject", "--config", "airflow.cfg", "site/index.html");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("injected           site/index.html");
    const text = read("site/index.html");
    expect(snippets(text)).toBeGreaterThan(0);
    expect(text.indexOf("G-ABC123")).toBeLessThan(text.indexOf("</head>"));
  });

  it("is idempotent: a second run leaves files byte-identical", async () => {
    write("site/index.html", PAGE);
    await run("inject", "-c", "airflow.cfg", "site");
    const once = readFileSync(join(dir, "site/index.html"));
    const mtime = statSync(join(dir, "site/index.html")).mtimeMs;
    const again = await run("inject", "-c", "airflow.cfg", "site");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already present    site/index.html");
    expect(readFileSync(join(dir, "site/index.html")).equals(once)).toBe(true);
    expect(statSync(join(dir, "site/index.html")).mtimeMs).toBe(mtime);
  });

  it("walks folders recursively, HTML files only, and copies into --out keeping relative paths", async () => {
    write("site/index.html", PAGE);
    write("site/docs/a.HTM", PAGE);
    write("site/docs/deep/b.html", "<p>fragment</p>");
    write("site/app.js", "</head>");
    const result = await run("inject", "-c", "airflow.cfg", "--out", "dist", "site");
    expect(result.code).toBe(0);
    expect(snippets(read("dist/index.html"))).toBeGreaterThan(0);
    expect(snippets(read("dist/docs/a.HTM"))).toBeGreaterThan(0);
    expect(read("dist/docs/deep/b.html").endsWith("<p>fragment</p>")).toBe(true);
    expect(read("site/index.html")).toBe(PAGE);
    expect(() => read("dist/app.js")).toThrow();
    expect(result.stdout).toContain("3 injected, 0 already present, 0 without insertion point, 0 errors");
  });

  it("reports files without an insertion point and leaves them alone", async () => {
    write("empty.html", "<!-- nothing here -->\n");
    const result = await run("inject", "-c", "airflow.cfg", "empty.html");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("no insertion point empty.html");
    expect(read("empty.html")).toBe("<!-- nothing here -->\n");
  });

  it("--scripts external: pages load the bootstrap by URL, and --assets writes it there", async () => {
    write("site/index.html", PAGE);
    const result = await run(
      "inject",
      "-c",
      "airflow.cfg",
      "--scripts",
      "external",
      "--assets",
      "public",
      "site",
    );
    expect(result.code).toBe(0);
    const text = read("site/index.html");
    expect(text).toContain('src="/tracklet/bootstrap.js"');
    expect(text).not.toContain("gtag(");
    const { settings } = parseConfig(read("airflow.cfg"));
    expect(read("public/tracklet/bootstrap.js")).toBe(createSnippet(settings).bootstrapJs);
    expect(result.stdout).toContain(
      "script             /tracklet/bootstrap.js -> public/tracklet/bootstrap.js",
    );
    // Idempotent in this mode too.
    const again = await run("inject", "-c", "airflow.cfg", "--scripts", "external", "site");
    expect(again.stdout).toContain("already present");
    expect(read("site/index.html")).toBe(text);
  });

  it("--bootstrap-path moves the external bootstrap", async () => {
    write("index.html", PAGE);
    const result = await run(
      "inject",
      "-c",
      "airflow.cfg",
      "-s",
      "external",
      "--bootstrap-path",
      "/js/ta.js",
      "-a",
      "out",
      "index.html",
    );
    expect(result.code).toBe(0);
    expect(read("index.html")).toContain('src="/js/ta.js"');
    expect(read("out/js/ta.js")).toContain("G-ABC123");
  });

  it("analytics_tool = tracklet: --assets writes the browser SDK the pages load, and without it a note says so", async () => {
    write("airflow.cfg", "[webserver]\nanalytics_tool = tracklet\n");
    write("a.html", PAGE);
    write("b.html", PAGE);
    const noted = await run("inject", "-c", "airflow.cfg", "a.html");
    expect(noted.code).toBe(0);
    const sdk = readFileSync(browserSdkFile("standard"));
    const hashed = contentHashedPath("/tracklet/tracklet.js", sdk);
    expect(noted.stderr).toContain(`note: the pages load ${hashed}, /tracklet/tracklet.js from your site`);
    const written = await run("inject", "-c", "airflow.cfg", "--assets", "public", "b.html");
    expect(written.stderr).toBe("");
    expect(read("b.html")).toContain(`src="${hashed}"`);
    expect(readFileSync(join(dir, `public${hashed}`)).equals(sdk)).toBe(true);
    expect(readFileSync(join(dir, "public/tracklet/tracklet.js")).equals(sdk)).toBe(true);
  });

  it("refuses a bad --scripts mode, a bad --bootstrap-path, and --bootstrap-path without external", async () => {
    write("x.html", PAGE);
    const bad = await run("inject", "-c", "airflow.cfg", "--scripts", "remote", "x.html");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--scripts must be inline or external (got "remote")');
    const external = (path: string) =>
      run("inject", "-c", "airflow.cfg", "-s", "external", "--bootstrap-path", path, "x.html");
    const traversal = await external("/../x.js");
    expect(traversal.code).toBe(2);
    expect(traversal.stderr).toContain("--bootstrap-path must be a root-relative URL path");
    const absolute = await external("https://cdn/x.js");
    expect(absolute.code).toBe(2);
    const inline = await run("inject", "-c", "airflow.cfg", "--bootstrap-path", "/b.js", "x.html");
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain("--bootstrap-path only applies with --scripts external");
    expect(read("x.html")).toBe(PAGE);
  });

  it("honours --position", async () => {
    write("index.html", PAGE);
    await run("inject", "-c", "airflow.cfg", "--position", "body-end", "index.html");
    const text = read("index.html");
    expect(text.indexOf("G-ABC123")).toBeGreaterThan(text.indexOf("<body>"));
  });

  it("exits 1 for a missing path but still handles the others", async () => {
    write("index.html", PAGE);
    const result = await run("inject", "-c", "airflow.cfg", "missing.html", "index.html");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing.html: no such file or directory");
    expect(snippets(read("index.html"))).toBeGreaterThan(0);
  });

  it("exits 1 for an unreadable file found in a folder (dangling link) and handles the rest", async () => {
    write("site/index.html", PAGE);
    symlinkSync(join(dir, "gone.html"), join(dir, "site/broken.html"));
    const result = await run("inject", "-c", "airflow.cfg", "site");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("site/broken.html: no such file or directory");
    expect(snippets(read("site/index.html"))).toBeGreaterThan(0);
  });

  it("exits 1 for a path that is not an HTML file", async () => {
    write("style.css", "a{}");
    const result = await run("inject", "-c", "airflow.cfg", "style.css");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not an .html or .htm file");
  });

  it("exits 1 for a bad config, naming file and line", async () => {
    write("bad.cfg", "[webserver]\nanalytics_tool = nope\n");
    write("index.html", PAGE);
    const result = await run("inject", "-c", "bad.cfg", "index.html");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.cfg:2/);
    expect(read("index.html")).toBe(PAGE);
  });

  it("exits 1 when the config file does not exist or turns analytics off", async () => {
    write("index.html", PAGE);
    expect((await run("inject", "-c", "nope.cfg", "index.html")).code).toBe(1);
    write("off.cfg", "[webserver]\n");
    const off = await run("inject", "-c", "off.cfg", "index.html");
    expect(off.code).toBe(1);
    expect(off.stderr).toContain("analytics_tool is not set");
  });

  it("exits 2 on usage errors", async () => {
    expect((await run("inject", "index.html")).code).toBe(2);
    expect((await run("inject", "-c", "airflow.cfg")).code).toBe(2);
    expect((await run("inject", "-c", "airflow.cfg", "--position", "middle", "x.html")).code).toBe(2);
    expect((await run("inject", "--bogus")).code).toBe(2);
  });
});

describe("tracklet", () => {
  it("prints help and the version", async () => {
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("inject");
    const version = await run("--version");
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("rejects unknown commands and a missing command with status 2", async () => {
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run()).code).toBe(2);
  });

  it("dispatches check", async () => {
    const result = await run("check", "--config", "airflow.cfg");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("google_analytics");
  });
});
