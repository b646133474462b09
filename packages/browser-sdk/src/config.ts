import { FULL } from "./build-flags.js";
import type { ListOption, TrackerOptions } from "./options.js";
import { DEFAULT_ENDPOINT_RELATIVE } from "./wire.js";

/**
 * A list option as an array: strings are split at commas and spaces, empty items dropped; an array is read
 * the same way (its items joined with commas first); `true`, `false` and nothing are the empty list.
 */
export const list = (value: unknown): string[] =>
  `${value === true ? "" : value || ""}`.match(/[^\s,]+/g) || [];

/**
 * Reads the options of a `<script src="…/tracklet.js" data-…>` tag: `data-x` becomes option `x`; an empty
 * value or `"true"` is `true`, `"false"` is `false`, anything else stays a string. Without `data-endpoint`
 * the endpoint is `DEFAULT_ENDPOINT_RELATIVE` resolved against the script's own URL (against the page's
 * without a script element); `data-endpoint="none"` means bridge-only.
 */
export const readScriptOptions = (script: HTMLOrSVGScriptElement | null): TrackerOptions => {
  // The core build has no default endpoint: the collector serves only the full build beside its `collect`.
  const options: Record<string, unknown> = FULL
    ? {
        endpoint: new URL(
          DEFAULT_ENDPOINT_RELATIVE,
          (script as HTMLScriptElement | null)?.src || location.href,
        ).href,
      }
    : {};
  // Every option name is one word, so `dataset` keys are the attribute names without `data-`.
  const data = script?.dataset;
  for (const name in data) {
    const v = data[name];
    // (The core build has no list option where `true` differs from the string "true".)
    options[name] = v !== "false" && ((FULL && v === "true") || v || true);
  }
  return options as TrackerOptions;
};

export type { ListOption };
