import type { ListOption, TrackerOptions } from "./options.js";
import { WIRE_ENDPOINT_PATH } from "./wire.js";

/** A list option as an array: strings are split at commas and spaces, empty items dropped. */
export const list = (value: unknown): string[] =>
  Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/).filter(String) : [];

/**
 * Reads the options of a `<script src="…/tracklet.js" data-…>` tag: `data-x` becomes option `x`; an empty
 * value or `"true"` is `true`, `"false"` is `false`, anything else stays a string. Without `data-endpoint`
 * the endpoint is the script's origin + `/api/event`; `data-endpoint="none"` means bridge-only.
 */
export const readScriptOptions = (script: HTMLOrSVGScriptElement | null): TrackerOptions => {
  const options: Record<string, unknown> = {
    endpoint: new URL(WIRE_ENDPOINT_PATH, (script as HTMLScriptElement | null)?.src || location.href).href,
  };
  for (const { name, value: v } of script?.attributes || []) {
    if (name.startsWith("data-")) options[name.slice(5)] = v === "false" ? false : v === "true" || v || true;
  }
  return options as TrackerOptions;
};

export type { ListOption };
