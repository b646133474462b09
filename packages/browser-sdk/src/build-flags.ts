/**
 * Whether this build has the full feature set. `dist/tracklet.core.js` is built from the same sources with a
 * copy of this module that says `false` (see rollup.config.mjs), so every `if (FULL)` branch — clicks,
 * engagement, bridges, contexts, custom events, include/exclude, debug — is left out of it.
 */
export const FULL: boolean = true;
