import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
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
