// biome-ignore-all lint/suspicious/noTemplateCurlyInString: airflow.cfg values use ${VAR} references literally
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ConfigError, type ConfigIssue, type Env } from "@tracklet/config";
import { describe, expect, it } from "vitest";
import { formatSettings, maskSettings } from "./mask-settings.js";
import { loadConfig, type ParsedConfig, parseConfig } from "./parse-config.js";

/** The two ini blocks of the Airflow "Tracking User Activity" page, verbatim. */
const SEED_GA = `[webserver]
# Send anonymous user activity to your analytics tool
# choose from apache_flagon_useralejs, google_analytics,
# metarouter or segment.
analytics_tool = google_analytics
analytics_id = XXXXXXXXXXX
`;
const SEED_USERALE = `[webserver]
# Complete list of useralejs configuration can be found at
# https://github.com/apache/incubator-flagon-useralejs#configure
analytics_tool = apache_flagon_useralejs
apache_flagon_useralejs_data_auth = \${ELASTICSEARCH_AUTH} or None
apache_flagon_useralejs_data_autostart = True
apache_flagon_useralejs_data_interval = 5000
apache_flagon_useralejs_data_log_details = False
apache_flagon_useralejs_data_resolution = 500
apache_flagon_useralejs_data_threshold = 5
apache_flagon_useralejs_data_tool = Apache Airflow GUI
apache_flagon_useralejs_data_user = \${SPECIFIC_USERID}
apache_flagon_useralejs_data_url = https://your.elasticsearch.host:port
apache_flagon_useralejs_data_version = 2.1.0
`;
const SEED_USERALE_REAL_URL = SEED_USERALE.replace("host:port", "host:9200");
const AUTH = "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==";

function parse(text: string | null, env: Env = {}, prefixes?: string[]): ParsedConfig {
  return parseConfig(text, { file: "airflow.cfg", env, ...(prefixes ? { prefixes } : {}) });
}

function errorsOf(text: string | null, env: Env = {}): ConfigIssue[] {
  try {
    parse(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function messageOf(text: string | null, env: Env = {}): string {
  return errorsOf(text, env)
    .map((i) => `${i.where}: ${i.message}`)
    .join("\n");
}

const ws = (body: string) => `[webserver]\n${body}\n`;
const USERALE_BASE =
  "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = https://es.example.com:9200";

describe("the seed's Airflow examples", () => {
  it("rejects the placeholder GA id XXXXXXXXXXX with file:line, option, expected and found", () => {
    expect(messageOf(SEED_GA)).toBe(
      'airflow.cfg:6: [webserver] analytics_id: expected a GA4 measurement id like "G-XXXXXXXXXX" (or GT-/AW-/UA-NNN-N); found "XXXXXXXXXXX"',
    );
  });

  it("loads the GA block once the id is a real measurement id", () => {
    const { settings, warnings } = parse(SEED_GA.replace("XXXXXXXXXXX", "G-ABCDE12345"));
    expect(settings.tool).toBe("google_analytics");
    expect(settings.id).toBe("G-ABCDE12345");
    expect(settings.sources.analytics_id).toEqual({ kind: "file", file: "airflow.cfg", line: 6 });
    expect(warnings).toEqual([]);
  });

  it("reports the UserALE block's unset SPECIFIC_USERID and its placeholder :port, both at once", () => {
    const message = messageOf(SEED_USERALE);
    expect(message).toContain(
      "airflow.cfg:12: [webserver] apache_flagon_useralejs_data_user: environment variable SPECIFIC_USERID is not set",
    );
    expect(message).toContain(
      'airflow.cfg:13: [webserver] apache_flagon_useralejs_data_url: expected an absolute http(s) URL; found "https://your.elasticsearch.host:port" (the port must be a number)',
    );
    expect(message).not.toContain("ELASTICSEARCH_AUTH");
  });

  it("types every UserALE option when both variables are set", () => {
    const env = { ELASTICSEARCH_AUTH: AUTH, SPECIFIC_USERID: "analyst-7" };
    const { settings, warnings } = parse(SEED_USERALE_REAL_URL, env);
    expect(warnings).toEqual([]);
    expect(settings.tool).toBe("apache_flagon_useralejs");
    expect(settings.useralejs).toEqual({
      auth: AUTH,
      autostart: true,
      interval: 5000,
      logDetails: false,
      resolution: 500,
      threshold: 5,
      tool: "Apache Airflow GUI",
      user: "analyst-7",
      url: "https://your.elasticsearch.host:9200",
      version: "2.1.0",
    });
  });

  it.each([
    ["unset", {}],
    ["empty", { ELASTICSEARCH_AUTH: "" }],
  ])("treats `${ELASTICSEARCH_AUTH} or None` as unset when the variable is %s", (_label, extra) => {
    const { settings } = parse(SEED_USERALE_REAL_URL, { SPECIFIC_USERID: "u", ...extra });
    expect(settings.useralejs.auth).toBeUndefined();
    expect(settings.sources.apache_flagon_useralejs_data_auth).toBeUndefined();
  });
});

describe("option values", () => {
  it.each([
    ["True", true],
    ["false", false],
    ["YES", true],
    ["no", false],
    ["on", true],
    ["Off", false],
    ["1", true],
    ["0", false],
    ["t", true],
    ["F", false],
  ])("reads boolean %j", (text, expected) => {
    const { settings } = parse(ws(`analytics_tool = tracklet\nanalytics_spa_pageviews = ${text}`));
    expect(settings.spaPageviews).toBe(expected);
  });

  it.each(["", "None"])("treats analytics_tool = %j as off", (text) => {
    const { settings, warnings } = parse(ws(`analytics_tool = ${text}`));
    expect(settings.tool).toBeNull();
    expect(warnings).toEqual([]);
  });

  it("is off without a file or any option", () => {
    expect(parse(null).settings.tool).toBeNull();
    expect(parse("[core]\nexecutor = LocalExecutor\n").settings.tool).toBeNull();
  });

  it("expands ${VAR} and $VAR from the environment, repeatedly", () => {
    const env = { KEY: "$PART1$PART2", PART1: "abc", PART2: "DEF" };
    const { settings } = parse(ws("analytics_tool = segment\nanalytics_id = ${KEY}"), env);
    expect(settings.id).toBe("abcDEF");
  });

  it("applies %% and %(name)s interpolation to tracklet's options", () => {
    const text =
      "[DEFAULT]\nhost = matomo.example.com\n[webserver]\nanalytics_tool = matomo\nanalytics_id = 3\nanalytics_url = https://%(host)s/m\n";
    expect(parse(text).settings.url).toBe("https://matomo.example.com/m/");
  });

  it("inherits tracklet's options from [DEFAULT]", () => {
    const { settings } = parse("[DEFAULT]\nanalytics_tool = tracklet\n[webserver]\n");
    expect(settings.tool).toBe("tracklet");
  });

  it("fills in tracklet's defaults and records them as defaults", () => {
    const { settings } = parse(ws("analytics_tool = tracklet\nanalytics_site = docs.example"));
    expect(settings).toMatchObject({
      url: "/tracklet/collect",
      scriptUrl: "/tracklet/tracklet.js",
      site: "docs.example",
    });
    expect(settings.sources.analytics_url).toEqual({ kind: "default" });
  });

  it.each([
    ["google_analytics", "G-ABC123XYZ"],
    ["google_analytics", "GT-ABCD123"],
    ["google_analytics", "AW-12345678"],
    ["segment", "aZ09_-writeKey"],
    ["metarouter", "k"],
  ])("accepts %s id %j", (tool, id) => {
    expect(parse(ws(`analytics_tool = ${tool}\nanalytics_id = ${id}`)).settings.id).toBe(id);
  });

  it("accepts a legacy UA- id with a warning", () => {
    const { settings, warnings } = parse(ws("analytics_tool = google_analytics\nanalytics_id = UA-12345-1"));
    expect(settings.id).toBe("UA-12345-1");
    expect(warnings.map((w) => w.where)).toEqual(["airflow.cfg:3"]);
    expect(warnings[0]?.message).toContain("Universal Analytics");
  });

  it("normalises the Matomo URL to end in /", () => {
    const { settings } = parse(
      ws("analytics_tool = matomo\nanalytics_id = 7\nanalytics_url = https://stats.example.org"),
    );
    expect(settings.url).toBe("https://stats.example.org/");
  });

  it("accepts analytics_script_url as an https URL or a root-relative path", () => {
    const a = parse(ws("analytics_tool = segment\nanalytics_id = k\nanalytics_script_url = /proxy/ajs.js"));
    const b = parse(
      ws("analytics_tool = segment\nanalytics_id = k\nanalytics_script_url = https://cdn.example/a.js"),
    );
    expect([a.settings.scriptUrl, b.settings.scriptUrl]).toEqual([
      "/proxy/ajs.js",
      "https://cdn.example/a.js",
    ]);
  });
});

describe("values that would cost the snippet its CSP nonce", () => {
  // Browsers ignore the nonce of a <script> whose attribute values contain "<script" or "<style" (HTML's
  // "is element nonceable"), so such a value would get the whole snippet blocked under a nonce CSP.
  it.each([
    ["analytics_script_url", "analytics_tool = tracklet", 'https://cdn.example/x"><script>alert(1)</script>'],
    ["analytics_url", "analytics_tool = tracklet", "/collect?<STYLE>"],
    ["apache_flagon_useralejs_data_user", USERALE_BASE, "</script><script>alert(1)</script>"],
    ["apache_flagon_useralejs_data_tool", USERALE_BASE, "a <sCrIpT b"],
  ])("refuses %s containing <script or <style, saying why", (option, base, value) => {
    const issues = errorsOf(ws(`${base}\n${option} = ${value}`));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.option).toBe(option);
    expect(issues[0]?.message).toContain('without "<script" or "<style"');
    expect(issues[0]?.message).toContain("nonce");
  });

  it("still accepts text that merely mentions scripts", () => {
    const { settings } = parse(
      ws(`${USERALE_BASE}\napache_flagon_useralejs_data_tool = </script> & script <b>`),
    );
    expect(settings.useralejs.tool).toBe("</script> & script <b>");
  });
});

describe("errors name file:line, option, expected, found and a did-you-mean", () => {
  it.each<[string, string, string[]]>([
    [
      "analytics_tool = google_analytic",
      "airflow.cfg:2",
      [
        "[webserver] analytics_tool: expected one of apache_flagon_useralejs, google_analytics, metarouter, segment, matomo, tracklet",
        'found "google_analytic" (did you mean "google_analytics"?)',
      ],
    ],
    ["analytics_tool = Segmnet", "airflow.cfg:2", ['found "Segmnet" (did you mean "segment"?)']],
    [
      "analytics_tool = google_analytics # valid options: google_analytics, segment",
      "airflow.cfg:2",
      ['did you mean "google_analytics"? the comment is part of the value'],
    ],
    ["analytics_tool = plausible", "airflow.cfg:2", ['found "plausible"']],
    [
      "analytics_tool = segment",
      "airflow.cfg:2",
      [
        '[webserver] analytics_id: required when analytics_tool is "segment" (the Segment source write key), but not set',
      ],
    ],
    [
      "analytics_tool = matomo\nanalytics_id = 3",
      "airflow.cfg:2",
      ['[webserver] analytics_url: required when analytics_tool is "matomo"'],
    ],
    [
      "analytics_tool = matomo\nanalytics_id = abc\nanalytics_url = https://m.example/",
      "airflow.cfg:3",
      ['analytics_id: expected a Matomo site id (a positive integer); found "abc"'],
    ],
    [
      "analytics_tool = matomo\nanalytics_id = 1\nanalytics_url = matomo.example.com",
      "airflow.cfg:4",
      ['analytics_url: expected the absolute http(s) URL of the Matomo instance; found "matomo.example.com"'],
    ],
    [
      "analytics_tool = google_analytics\nanalytics_id = g-abc1234",
      "airflow.cfg:3",
      ['found "g-abc1234" (ids are upper case: "G-ABC1234")'],
    ],
    [
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = https://es.example\napache_flagon_useralejs_data_interval = 5s",
      "airflow.cfg:4",
      [
        'apache_flagon_useralejs_data_interval: expected a positive integer (milliseconds or a count); found "5s"',
      ],
    ],
    [
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = https://es.example\napache_flagon_useralejs_data_threshold = 0",
      "airflow.cfg:4",
      ['found "0"'],
    ],
    [
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = ftp://es.example",
      "airflow.cfg:3",
      [
        'apache_flagon_useralejs_data_url: expected an absolute http(s) URL; found "ftp://es.example" (the scheme is "ftp:")',
      ],
    ],
    [
      "analytics_tool = apache_flagon_useralejs",
      "airflow.cfg:2",
      ['apache_flagon_useralejs_data_url: required when analytics_tool is "apache_flagon_useralejs"'],
    ],
    [
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = https://es.example\napache_flagon_useralejs_data_autostart = maybe",
      "airflow.cfg:4",
      ['expected a boolean (true/false, yes/no, on/off, 1/0, t/f); found "maybe"'],
    ],
    [
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = https://es.example\napache_flagon_useralejs_data_version = latest",
      "airflow.cfg:4",
      ['expected a version like "2.1.0"; found "latest"'],
    ],
    [
      "analytics_tool = tracklet\nanalytics_script_url = javascript:alert(1)",
      "airflow.cfg:3",
      [
        'analytics_script_url: expected an http(s) URL or a path starting with "/"; found "javascript:alert(1)"',
      ],
    ],
    [
      "analytics_tool = tracklet\nanalytics_url = 50%",
      "airflow.cfg:3",
      ['analytics_url: a lone "%" must be written "%%"'],
    ],
    [
      "analytics_tool = tracklet\nanalytics_site = ${SITE_ID}",
      "airflow.cfg:3",
      ["analytics_site: environment variable SITE_ID is not set"],
    ],
  ])("%j", (body, where, fragments) => {
    const issues = errorsOf(ws(body));
    const issue = issues.find((i) => fragments.every((f) => i.message.includes(f)));
    expect(issue, `${JSON.stringify(issues, null, 2)}`).toBeDefined();
    expect(issue?.where).toBe(where);
  });

  it("lists every problem in the ConfigError message, one line each", () => {
    const text = ws(
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = x\napache_flagon_useralejs_data_interval = -1",
    );
    const message = messageOf(text);
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toMatch(/^airflow\.cfg:3: .*data_url.*\nairflow\.cfg:4: .*data_interval/);
  });

  it("reports ini syntax errors as ConfigError issues with file:line", () => {
    expect(messageOf("[webserver]\nanalytics_tool\n")).toContain("airflow.cfg:2: expected");
  });

  it("carries expected, found and suggestion as fields for --json", () => {
    const [issue] = errorsOf(ws("analytics_tool = segmnt"));
    expect(issue).toMatchObject({ option: "analytics_tool", found: '"segmnt"', suggestion: "segment" });
  });
});

describe("warnings", () => {
  it.each([
    ["analytics_tol = segment", "analytics_tol", "analytics_tool"],
    [
      "apache_flagon_useralejs_data_intervall = 5",
      "apache_flagon_useralejs_data_intervall",
      "apache_flagon_useralejs_data_interval",
    ],
    ["anaytlics_id = x", "anaytlics_id", "analytics_id"],
  ])("warns about the misspelt option %j with a did-you-mean", (line, option, suggestion) => {
    const { warnings } = parse(ws(`analytics_tool = tracklet\n${line}`));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ where: "airflow.cfg:3", option, suggestion });
    expect(warnings[0]?.message).toContain(`did you mean "${suggestion}"?`);
  });

  it("warns about an inline-comment-looking value without echoing a secret", () => {
    const text = ws(
      "analytics_tool = apache_flagon_useralejs\napache_flagon_useralejs_data_url = https://es.example\napache_flagon_useralejs_data_auth = Bearer s3cr3t-t0ken # from vault",
    );
    const { warnings, settings } = parse(text);
    expect(settings.useralejs.auth).toBe("Bearer s3cr3t-t0ken # from vault");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('contains " #"');
    expect(JSON.stringify(warnings)).not.toContain("s3cr3t");
  });

  it("warns about options the chosen tool ignores, and options set while the tool is off", () => {
    const used = parse(
      ws("analytics_tool = google_analytics\nanalytics_id = G-ABCD1234\nanalytics_site = x"),
    );
    expect(used.warnings.map((w) => w.message)).toEqual([
      '[webserver] analytics_site: ignored: analytics_tool "google_analytics" does not use it',
    ]);
    const off = parse(ws("analytics_id = G-ABCD1234"));
    expect(off.warnings[0]?.message).toContain("analytics_tool is not set");
  });

  it("loads a realistic airflow.cfg (%%, {{ }} templates, navbar_color = #fff, a lone % elsewhere) with zero warnings", () => {
    const text = readFileSync(new URL("./fixtures/airflow.cfg", import.meta.url), "utf8");
    const { settings, warnings } = parse(text);
    expect(warnings).toEqual([]);
    expect(settings.tool).toBe("google_analytics");
    expect(settings.id).toBe("G-8XK2M4Q7ZP");
    expect(settings.sources.analytics_id?.line).toBe(
      text.split("\n").indexOf("analytics_id = G-8XK2M4Q7ZP") + 1,
    );
  });
});

describe("environment overrides", () => {
  const file = ws("analytics_tool = segment\nanalytics_id = fileKey");

  it("beat the file, with TRACKLET and AIRFLOW prefixes, the configured prefix winning", () => {
    expect(parse(file, { AIRFLOW__WEBSERVER__ANALYTICS_ID: "airflowKey" }).settings.id).toBe("airflowKey");
    const both = {
      AIRFLOW__WEBSERVER__ANALYTICS_ID: "airflowKey",
      TRACKLET__WEBSERVER__ANALYTICS_ID: "trackletKey",
    };
    const { settings } = parse(file, both);
    expect(settings.id).toBe("trackletKey");
    expect(settings.sources.analytics_id).toEqual({
      kind: "env",
      envVar: "TRACKLET__WEBSERVER__ANALYTICS_ID",
    });
    const custom = parse(file, { ...both, MYAPP__WEBSERVER__ANALYTICS_ID: "myKey" }, ["MYAPP", "AIRFLOW"]);
    expect(custom.settings.id).toBe("myKey");
  });

  it("provide everything without a file", () => {
    const env = {
      TRACKLET__WEBSERVER__ANALYTICS_TOOL: "matomo",
      AIRFLOW__WEBSERVER__ANALYTICS_ID: "12",
      TRACKLET__WEBSERVER__ANALYTICS_URL: "https://m.example",
    };
    expect(parse(null, env).settings).toMatchObject({ tool: "matomo", id: "12", url: "https://m.example/" });
  });

  it("are expanded too, and errors name the env var", () => {
    expect(parse(file, { TRACKLET__WEBSERVER__ANALYTICS_ID: "${K}", K: "viaVar" }).settings.id).toBe(
      "viaVar",
    );
    expect(messageOf(file, { TRACKLET__WEBSERVER__ANALYTICS_ID: "${K}" })).toBe(
      'TRACKLET__WEBSERVER__ANALYTICS_ID: [webserver] analytics_id: environment variable K is not set (set it, or write "... or None" to leave the option unset without it)',
    );
    expect(messageOf(file, { TRACKLET__WEBSERVER__ANALYTICS_TOOL: "segmnt" })).toContain(
      "TRACKLET__WEBSERVER__ANALYTICS_TOOL: [webserver] analytics_tool: expected one of",
    );
  });

  it("can switch injection off with an empty value", () => {
    expect(parse(file, { TRACKLET__WEBSERVER__ANALYTICS_TOOL: "" }).settings.tool).toBeNull();
  });

  it("warn about misspelt override names but not about Airflow's own", () => {
    const env = {
      TRACKLET__WEBSERVER__ANALYTICS_TOL: "x",
      AIRFLOW__WEBSERVER__SECRET_KEY: "k",
      AIRFLOW__CORE__EXECUTOR: "x",
    };
    const { warnings } = parse(file, env);
    expect(warnings.map((w) => [w.where, w.suggestion])).toEqual([
      ["TRACKLET__WEBSERVER__ANALYTICS_TOL", "analytics_tool"],
    ]);
  });

  it("refuse a malformed prefix", () => {
    expect(() => parse(file, {}, ["tracklet"])).toThrow(TypeError);
  });
});

describe("secrets are masked whenever settings are printed", () => {
  const env = { ELASTICSEARCH_AUTH: AUTH, SPECIFIC_USERID: "u" };
  const writeKey = "sk_live_0123456789abcdefXYZ";

  it("in maskSettings, JSON.stringify and util.inspect", () => {
    const { settings } = parse(SEED_USERALE_REAL_URL, env);
    for (const printed of [
      JSON.stringify(maskSettings(settings)),
      JSON.stringify(settings),
      inspect(settings, { depth: 5 }),
    ]) {
      expect(printed).not.toContain("ZWxhc3RpYzpjaGFuZ2VtZQ");
      expect(printed).toContain(`Ba…(${AUTH.length} chars)`);
    }
    expect(settings.useralejs.auth).toBe(AUTH);
  });

  it("in formatSettings, with each value's source", () => {
    const { settings } = parse(ws(`analytics_tool = segment\nanalytics_id = ${writeKey}`));
    const text = formatSettings(settings);
    expect(text).not.toContain(writeKey);
    expect(text).toMatch(/analytics_id\s+= sk…\(27 chars\)\s+\(airflow\.cfg:3\)/);
    expect(text).toMatch(/analytics_tool\s+= segment\s+\(airflow\.cfg:2\)/);
  });

  it("in error messages about a malformed write key", () => {
    const bad = `${writeKey}/../x`;
    const message = messageOf(ws(`analytics_tool = segment\nanalytics_id = ${bad}`));
    expect(message).toContain("analytics_id: expected a write key");
    expect(message).not.toContain("0123456789");
  });

  it("but GA measurement ids, which are public, stay readable", () => {
    const { settings } = parse(ws("analytics_tool = google_analytics\nanalytics_id = G-ABCDE12345"));
    expect(formatSettings(settings)).toContain("G-ABCDE12345");
  });

  it("and URL credentials are hidden", () => {
    const text = SEED_USERALE_REAL_URL.replace(
      "https://your.elasticsearch.host",
      "https://elastic:pw@es.example",
    );
    const { settings } = parse(text, env);
    expect(JSON.stringify(settings)).toContain("https://***@es.example:9200");
  });
});

describe("loadConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-config-"));
  writeFileSync(join(dir, "airflow.cfg"), ws("analytics_tool = tracklet"));
  writeFileSync(join(dir, "other.cfg"), ws("analytics_tool = segment\nanalytics_id = k"));
  writeFileSync(join(dir, "latin1.cfg"), Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x78, 0x3d, 0xe9, 0x0a]));

  it("reads ./airflow.cfg from cwd by default", () => {
    const loaded = loadConfig({ cwd: dir, env: {} });
    expect(loaded.file).toBe("airflow.cfg");
    expect(loaded.settings.tool).toBe("tracklet");
  });

  it("prefers TRACKLET_CONFIG, and an explicit path over both", () => {
    expect(loadConfig({ cwd: dir, env: { TRACKLET_CONFIG: "other.cfg" } }).settings.tool).toBe("segment");
    expect(
      loadConfig({ cwd: dir, env: { TRACKLET_CONFIG: "other.cfg" }, path: join(dir, "airflow.cfg") }).settings
        .tool,
    ).toBe("tracklet");
  });

  it("is off when the default file is missing and no override is set", () => {
    const empty = mkdtempSync(join(tmpdir(), "tracklet-empty-"));
    expect(loadConfig({ cwd: empty, env: {} })).toMatchObject({ file: null, settings: { tool: null } });
    expect(
      loadConfig({ cwd: empty, env: { TRACKLET__WEBSERVER__ANALYTICS_TOOL: "tracklet" } }).settings.tool,
    ).toBe("tracklet");
  });

  it("refuses an explicitly named file that is missing or not UTF-8", () => {
    expect(() => loadConfig({ cwd: dir, env: {}, path: "nope.cfg" })).toThrow(
      "nope.cfg: cannot read config file: file not found",
    );
    expect(() => loadConfig({ cwd: dir, env: { TRACKLET_CONFIG: "nope.cfg" } })).toThrow(
      "(from TRACKLET_CONFIG)",
    );
    expect(() => loadConfig({ cwd: dir, env: {}, path: "latin1.cfg" })).toThrow(
      "latin1.cfg: the file is not valid UTF-8",
    );
  });
});
