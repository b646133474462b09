import { createRequire } from "node:module";

/**
 * Absolute path of the built browser SDK (`@tracklet/browser-sdk/tracklet.js`), which the middleware serves
 * same-origin for `analytics_tool = tracklet` and `analytics_spa_pageviews`.
 */
export function browserSdkFile(): string {
  try {
    return createRequire(import.meta.url).resolve("@tracklet/browser-sdk/tracklet.js");
  } catch (error) {
    throw new Error(
      "tracklet's browser SDK (@tracklet/browser-sdk/tracklet.js) cannot be found: install @tracklet/browser-sdk " +
        "next to @tracklet/injector (in this repository: build it with `npm run build`)",
      { cause: error },
    );
  }
}
