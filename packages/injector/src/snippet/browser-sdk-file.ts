import { createRequire } from "node:module";

/**
 * The script-tag builds of tracklet's browser SDK: `core` (pageviews, SPA navigation, hash routing, masking and
 * the privacy checks), `standard` (also what the SDK does by default: tagged clicks, engagement, and the
 * `tracklet(…)` function for custom events) and `full` (also outbound and download clicks, include/exclude and
 * the vendor bridges).
 */
export type BrowserSdkBuild = "core" | "standard" | "full";

const BUILD_FILES: Record<BrowserSdkBuild, string> = {
  core: "@tracklet/browser-sdk/tracklet.core.js",
  standard: "@tracklet/browser-sdk/tracklet.standard.js",
  full: "@tracklet/browser-sdk/tracklet.js",
};

/**
 * Absolute path of a built browser SDK script, which the middleware serves same-origin for
 * `analytics_tool = tracklet` and `analytics_spa_pageviews`. Its precompressed forms lie next to it
 * (`<file>.br`, `<file>.gz`).
 */
export function browserSdkFile(build: BrowserSdkBuild = "full"): string {
  try {
    return createRequire(import.meta.url).resolve(BUILD_FILES[build]);
  } catch (error) {
    throw new Error(
      `tracklet's browser SDK (${BUILD_FILES[build]}) cannot be found: install @tracklet/browser-sdk ` +
        "next to @tracklet/injector (in this repository: build it with `npm run build`)",
      { cause: error },
    );
  }
}
