/**
 * Build flags. The sources are built four times from one implementation (see rollup.config.mjs), each with
 * its own copy of this module:
 * - the ESM/CJS library: everything;
 * - `dist/tracklet.js`, the full script tag: everything but `ESM`;
 * - `dist/tracklet.standard.js`: `FULL` alone, what the SDK does by default;
 * - `dist/tracklet.core.js`: none.
 * Every branch a build does not have is dropped by the minifier.
 */
/**
 * Custom events, callbacks, tagged clicks, engagement, debug, pageview options, the `tracklet(…)` function and
 * its queue, and the default endpoint.
 */
export const FULL: boolean = true;
/** Library-only API: contexts, `flush()`, `destroy()`. */
export const ESM: boolean = true;
/** Outbound link and file download clicks (only with `FULL`). */
export const LINKS: boolean = true;
/** Vendor bridges (only with `FULL`). */
export const BRIDGES: boolean = true;
/** The `include`/`exclude` pageview filters (only with `FULL`). */
export const FILTER: boolean = true;
