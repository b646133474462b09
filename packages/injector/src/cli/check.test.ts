import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "./check.js";

function io(env: Record<string, string> = {}, cwd = process.cwd()) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env,
      cwd,
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "tracklet-check-"));
const WRITE_KEY = "wk_0123456789abcdefghij";
writeFileSync(
  join(dir, "ok.cfg"),
  `[webserver]\nanalytics_tool = segment\nanalytics_id = ${WRITE_KEY}\nanalytics_tol = x\n`,
);
writeFileSync(
  join(dir, "bad.cfg"),
  "[webserver]\nanalytics_tool = google_analytic\n[webserver_extra]\nx = 1\n[core]\n",
);
writeFileSync(
  join(dir, "two-errors.cfg"),
  "[webserver]\nanalytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = nope\napache_flagon_useralejs_data_interval = soon\n",
);

describe("tracklet check", () => {
  it("prints masked settings with sources and warnings, exit 0", async () => {
    const { out, io: stdio } = io();
    expect(await runCheck(["--config", join(dir, "ok.cfg")], stdio)).toBe(0);
    expect(out.stdout).toMatch(/analytics_tool\s+= segment\s+\(.*ok\.cfg:2\)/);
    expect(out.stdout).toMatch(/analytics_id\s+= wk…\(23 chars\)/);
    expect(out.stdout).toContain("warning: ");
    expect(out.stdout).toContain('did you mean "analytics_tool"?');
    expect(out.stdout).toContain("OK: injecting the segment snippet");
    expect(out.stdout + out.stderr).not.toContain(WRITE_KEY);
  });

  it("says what first_party and both inject", async () => {
    const base = `[webserver]\nanalytics_tool = segment\nanalytics_id = ${WRITE_KEY}\n[collector]\n`;
    for (const [mode, line] of [
      ["first_party", "OK: injecting tracklet's SDK; the collector forwards its events to segment"],
      ["both", "OK: injecting the segment snippet and tracklet's SDK (stored, not forwarded)"],
    ]) {
      writeFileSync(
        join(dir, `${mode}.cfg`),
        base.replace("[collector]", `analytics_mode = ${mode}\n[collector]`),
      );
      const { out, io: stdio } = io();
      expect(await runCheck(["--config", join(dir, `${mode}.cfg`)], stdio)).toBe(0);
      expect(out.stdout).toMatch(new RegExp(`analytics_mode\\s+= ${mode}`));
      expect(out.stdout).toContain(line);
      expect(out.stdout + out.stderr).not.toContain(WRITE_KEY);
    }
  });

  it("prints every error and exits 1", async () => {
    const { out, io: stdio } = io({}, dir);
    expect(await runCheck(["--config", "two-errors.cfg"], stdio)).toBe(1);
    expect(out.stderr).toContain(
      "error: two-errors.cfg:3: [webserver] apache_flagon_useralejs_data_url: expected",
    );
    expect(out.stderr).toContain(
      "error: two-errors.cfg:4: [webserver] apache_flagon_useralejs_data_interval: expected",
    );
    expect(out.stderr).toContain("2 errors; the config cannot be used");
  });

  it("shows the did-you-mean for an unknown tool", async () => {
    const { out, io: stdio } = io({}, dir);
    expect(await runCheck(["-c", "bad.cfg"], stdio)).toBe(1);
    expect(out.stderr).toContain('found "google_analytic" (did you mean "google_analytics"?)');
  });

  it("reads $TRACKLET_CONFIG and env overrides with a custom prefix", async () => {
    const env = { TRACKLET_CONFIG: join(dir, "ok.cfg"), MYAPP__WEBSERVER__ANALYTICS_TOOL: "tracklet" };
    const { out, io: stdio } = io(env, dir);
    expect(await runCheck(["--prefix", "MYAPP"], stdio)).toBe(0);
    expect(out.stdout).toMatch(/analytics_tool\s+= tracklet\s+\(env MYAPP__WEBSERVER__ANALYTICS_TOOL\)/);
    expect(out.stdout).toMatch(/analytics_url\s+= \/tracklet\/collect\s+\(default\)/);
  });

  it("says injection is off when nothing is configured", async () => {
    const { out, io: stdio } = io({}, mkdtempSync(join(tmpdir(), "tracklet-none-")));
    expect(await runCheck([], stdio)).toBe(0);
    expect(out.stdout).toContain("no config file (environment only)");
    expect(out.stdout).toContain("OK: injection is off");
  });

  it("--json reports settings (masked) or errors", async () => {
    const good = io();
    expect(await runCheck(["--json", "--config", join(dir, "ok.cfg")], good.io)).toBe(0);
    const report = JSON.parse(good.out.stdout);
    expect(report).toMatchObject({
      ok: true,
      settings: { tool: "segment", id: "wk…(23 chars)" },
      errors: [],
    });
    expect(report.warnings[0]).toMatchObject({ option: "analytics_tol", suggestion: "analytics_tool" });
    const bad = io({}, dir);
    expect(await runCheck(["--json", "--config", "bad.cfg"], bad.io)).toBe(1);
    expect(JSON.parse(bad.out.stdout)).toMatchObject({
      ok: false,
      errors: [{ where: "bad.cfg:2", option: "analytics_tool", suggestion: "google_analytics" }],
    });
  });

  it.each([[["--nope"]], [["extra"]], [["--prefix", "lower"]], [["--config"]]])(
    "exits 2 on usage error %j",
    async (args) => {
      const { out, io: stdio } = io();
      expect(await runCheck(args, stdio)).toBe(2);
      expect(out.stderr).toContain("tracklet check:");
    },
  );

  it("exits 1 for a missing --config file", async () => {
    const { out, io: stdio } = io({}, dir);
    expect(await runCheck(["--config", "missing.cfg"], stdio)).toBe(1);
    expect(out.stderr).toContain("missing.cfg: cannot read config file: file not found");
  });
});
