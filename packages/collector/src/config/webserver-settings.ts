import {
  DEFAULT_ENV_PREFIXES,
  type Env,
  expandEnv,
  findEnvOverride,
  interpolate,
  isUnsetWord,
  lookup,
  parseIni,
} from "@tracklet/config";

/** The `[webserver]` options the collector reads to forward in first-party mode. */
export const WEBSERVER_OPTIONS = [
  "analytics_tool",
  "analytics_id",
  "analytics_mode",
  "analytics_url",
] as const;
export type WebserverOption = (typeof WEBSERVER_OPTIONS)[number];

/** One `[webserver]` option: its text (interpolated, `${VAR}` expanded) and where it was set. */
export interface WebserverValue {
  text: string;
  /** `file:line` or the env variable's name. */
  where: string;
}

export type WebserverSettings = Partial<Record<WebserverOption, WebserverValue>>;

/**
 * The analytics options of `[webserver]` in ini text, with `TRACKLET__WEBSERVER__*` / `AIRFLOW__WEBSERVER__*`
 * overrides, as the injector reads them. Values that are unset (`None`, empty) or do not expand are left out:
 * the injector reports those.
 */
export function readWebserverSettings(text: string | null, file: string, env: Env): WebserverSettings {
  const doc = text === null ? null : parseIni(text, { file });
  const out: WebserverSettings = {};
  for (const option of WEBSERVER_OPTIONS) {
    const override = findEnvOverride(env, DEFAULT_ENV_PREFIXES, "webserver", option);
    const value = doc ? lookup(doc, "webserver", option) : undefined;
    let found: WebserverValue | undefined;
    if (override !== undefined) found = { text: override.value, where: override.name };
    else if (doc && value) found = { text: value.raw, where: `${file}:${value.line}` };
    if (!found) continue;
    try {
      const interpolated =
        override === undefined && doc ? interpolate(doc, "webserver", found.text) : found.text;
      const expanded = expandEnv(interpolated.replace(/\s+or\s+None$/, ""), env).trim();
      if (!isUnsetWord(expanded)) out[option] = { text: expanded, where: found.where };
    } catch {
      // The injector reports values that do not expand; here they count as unset.
    }
  }
  return out;
}
