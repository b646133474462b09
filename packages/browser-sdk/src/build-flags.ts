/**
 * Build flags. The sources are built three times from one implementation (see rollup.config.mjs), each with
 * its own copy of this module:
 * - the ESM/CJS library: everything (`FULL` and `ESM`);
 * - `dist/tracklet.js`, the full script tag: `FULL` without `ESM`;
 * - `dist/tracklet.core.js`: neither.
 * Every `if (FULL)`/`if (ESM)` branch a build does not have is dropped by the minifier.
 */
/**
 * Custom events, callbacks, clicks, engagement, bridges, include/exclude, debug, pageview options, the
 * `tracklet(…)` function and its queue, and the default endpoint.
 */
export const FULL: boolean = true;
/** Library-only API: contexts, `flush()`, `destroy()`. */
export const ESM: boolean = true;
