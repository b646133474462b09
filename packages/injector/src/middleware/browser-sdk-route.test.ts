import { readFileSync } from "node:fs";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { listen, PAGE, request, type TestServer } from "../../test/test-support.js";
import { parseConfig } from "../config/parse-config.js";
import { browserSdkFile } from "../snippet/browser-sdk-file.js";
import { createSnippet } from "../snippet/create-snippet.js";
import { contentHashedPath } from "../snippet/sdk-script.js";
import { analytics } from "./analytics.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function appFor(config: string) {
  const { settings } = parseConfig(config, { file: "test.cfg", env: {} });
  const app = express();
  app.use(analytics({ snippet: createSnippet(settings) }));
  app.get("/", (_req, res) => res.send(PAGE));
  server = await listen(app);
  return server.url;
}

describe("the middleware serves tracklet's browser SDK same-origin", () => {
  const sdk = readFileSync(browserSdkFile());
  const standard = readFileSync(browserSdkFile("standard"));
  const core = readFileSync(browserSdkFile("core"));
  const hashed = contentHashedPath("/tracklet/tracklet.js", sdk);
  const hashedStandard = contentHashedPath("/tracklet/tracklet.js", standard);
  const hashedCore = contentHashedPath("/tracklet/tracklet.js", core);

  it("analytics_tool = tracklet: the page loads the content-hashed standard build, cached for a year", async () => {
    const url = await appFor("[webserver]\nanalytics_tool = tracklet\n");
    const page = await request(`${url}/`);
    expect(page.body.toString()).toContain(
      `src="${hashedStandard}" data-endpoint="/tracklet/collect"></script>`,
    );
    const script = await request(`${url}${hashedStandard}`);
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(script.body.equals(standard)).toBe(true);
    expect(Number(script.headers["content-length"])).toBe(standard.length);
  });

  it("the plain /tracklet/tracklet.js keeps answering, with a short cache and 304 on revalidation", async () => {
    const url = await appFor("[webserver]\nanalytics_tool = tracklet\n");
    const first = await request(`${url}/tracklet/tracklet.js`);
    expect(first.body.equals(standard)).toBe(true);
    expect(first.headers["cache-control"]).toBe("public, max-age=300");
    const etag = String(first.headers.etag);
    const second = await request(`${url}/tracklet/tracklet.js`, { headers: { "if-none-match": etag } });
    expect(second.status).toBe(304);
    expect(second.body.length).toBe(0);
  });

  it("sends the build's precompressed brotli and gzip bytes as they were built", async () => {
    const url = await appFor("[webserver]\nanalytics_tool = tracklet\nanalytics_track = outbound\n");
    const brotli = await request(`${url}${hashed}`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(brotli.body.equals(readFileSync(`${browserSdkFile()}.br`))).toBe(true);
    const gzip = await request(`${url}${hashed}`, { headers: { "accept-encoding": "gzip" } });
    expect(gzip.body.equals(readFileSync(`${browserSdkFile()}.gz`))).toBe(true);
  });

  it("analytics_track = none: the core build, at its own hashed path and at the plain one", async () => {
    const url = await appFor("[webserver]\nanalytics_tool = tracklet\nanalytics_track = none\n");
    expect((await request(`${url}/`)).body.toString()).toContain(`src="${hashedCore}"`);
    expect((await request(`${url}${hashedCore}`)).body.equals(core)).toBe(true);
    expect((await request(`${url}/tracklet/tracklet.js`)).body.equals(core)).toBe(true);
    expect((await request(`${url}${hashedStandard}`)).status).toBe(404);
  });

  it("outbound or download tracking: the full build", async () => {
    const url = await appFor("[webserver]\nanalytics_tool = tracklet\nanalytics_track = downloads, tagged\n");
    expect((await request(`${url}/`)).body.toString()).toContain(
      `src="${hashed}" data-endpoint="/tracklet/collect" data-downloads data-engagement="false"`,
    );
    expect((await request(`${url}/tracklet/tracklet.js`)).body.equals(sdk)).toBe(true);
  });

  it("analytics_track = none with analytics_include: the full build, which filters pageviews", async () => {
    const url = await appFor(
      "[webserver]\nanalytics_tool = tracklet\nanalytics_track = none\nanalytics_include = /app/*\n",
    );
    const page = (await request(`${url}/`)).body.toString();
    expect(page).toContain(
      `src="${hashed}" data-endpoint="/tracklet/collect" data-tagged="false" data-engagement="false" data-include="/app/*"`,
    );
    expect((await request(`${url}/tracklet/tracklet.js`)).body.equals(sdk)).toBe(true);
  });

  it("analytics_spa_pageviews adds the SDK bridge-only next to the vendor snippet and serves it", async () => {
    const url = await appFor(
      "[webserver]\nanalytics_tool = segment\nanalytics_id = key123\nanalytics_spa_pageviews = True\n",
    );
    const body = (await request(`${url}/`)).body.toString();
    expect(body).toContain(
      `<script data-tracklet-snippet defer src="${hashed}" data-endpoint="none" data-bridge="analytics"></script>`,
    );
    expect((await request(`${url}${hashed}`)).body.equals(sdk)).toBe(true);
    expect((await request(`${url}/tracklet/tracklet.js`)).body.equals(sdk)).toBe(true);
  });

  it("without analytics_spa_pageviews a vendor tool neither references nor serves the SDK", async () => {
    const url = await appFor("[webserver]\nanalytics_tool = segment\nanalytics_id = key123\n");
    expect((await request(`${url}/`)).body.toString()).not.toContain("tracklet.js");
    expect((await request(`${url}/tracklet/tracklet.js`)).status).toBe(404);
  });

  it("an absolute analytics_script_url for tracklet is referenced, not served", async () => {
    const url = await appFor(
      "[webserver]\nanalytics_tool = tracklet\nanalytics_script_url = https://cdn.example.com/tracklet.js\n",
    );
    expect((await request(`${url}/`)).body.toString()).toContain('src="https://cdn.example.com/tracklet.js"');
    expect((await request(`${url}/tracklet/tracklet.js`)).status).toBe(404);
  });
});

describe("SPA bridges per tool", () => {
  const bridgeOf = (tool: string, extra: string) => {
    const { settings } = parseConfig(
      `[webserver]\nanalytics_tool = ${tool}\n${extra}analytics_spa_pageviews = True\n`,
      { file: "t.cfg", env: {} },
    );
    const snippet = createSnippet(settings);
    return {
      bridge: /data-bridge="([^"]+)"/.exec(snippet.html())?.[1],
      assets: (snippet.assets ?? []).map((a) => a.path),
    };
  };

  it.each([
    ["google_analytics", "analytics_id = G-ABC1234\n", "gtag"],
    ["segment", "analytics_id = key123\n", "analytics"],
    ["metarouter", "analytics_id = key123\n", "analytics"],
    ["apache_flagon_useralejs", "apache_flagon_useralejs_data_url = https://u.example.com/\n", "userale"],
  ])("%s forwards SPA pageviews to %s", (tool, extra, bridge) => {
    const hashed = contentHashedPath("/tracklet/tracklet.js", readFileSync(browserSdkFile()));
    expect(bridgeOf(tool, extra)).toEqual({ bridge, assets: [hashed, "/tracklet/tracklet.js"] });
  });

  it("the bridge carries the URL options, and never the tracking ones", () => {
    const { settings } = parseConfig(
      "[webserver]\nanalytics_tool = segment\nanalytics_id = k1\nanalytics_spa_pageviews = True\n" +
        "analytics_hash_routing = True\nanalytics_exclude = /admin/*\nanalytics_mask = ref\nanalytics_track = none\n",
      { file: "t.cfg", env: {} },
    );
    expect(createSnippet(settings).html()).toMatch(
      /data-endpoint="none" data-bridge="analytics" data-hash data-exclude="\/admin\/\*" data-mask="ref"><\/script>$/,
    );
  });

  it("matomo has no bridge: nothing added, and the config says so", () => {
    const text =
      "[webserver]\nanalytics_tool = matomo\nanalytics_id = 3\nanalytics_url = https://m.example.com/\nanalytics_spa_pageviews = True\n";
    const { settings, warnings } = parseConfig(text, { file: "m.cfg", env: {} });
    expect(createSnippet(settings).html()).not.toContain("data-bridge");
    expect(warnings.map((w) => `${w.where} ${w.option}`)).toEqual(["m.cfg:5 analytics_spa_pageviews"]);
  });
});
