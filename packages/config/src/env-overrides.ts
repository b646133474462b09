import type { Env } from "./env-expansion.js";

/** Override prefixes, highest priority first: `TRACKLET__WEBSERVER__ANALYTICS_TOOL` beats `AIRFLOW__...`. */
export const DEFAULT_ENV_PREFIXES: readonly string[] = ["TRACKLET", "AIRFLOW"];

const PREFIX_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** An option set through the environment: the variable's name and its (trimmed) value. */
export interface EnvOverride {
  name: string;
  value: string;
}

/** `PREFIX__SECTION__OPTION` in upper case, Airflow's spelling of an override. */
export function envOverrideName(prefix: string, section: string, option: string): string {
  return `${prefix}__${section.toUpperCase()}__${option.toUpperCase()}`;
}

/** The override of `[section] option` under the first prefix that sets it, or `undefined`. */
export function findEnvOverride(
  env: Env,
  prefixes: readonly string[],
  section: string,
  option: string,
): EnvOverride | undefined {
  for (const prefix of prefixes) {
    const name = envOverrideName(prefix, section, option);
    const value = env[name];
    if (value !== undefined) return { name, value: value.trim() };
  }
  return undefined;
}

/**
 * Every `PREFIX__SECTION__*` variable in `env` (name order per prefix), with the option it sets in lower case.
 * Names whose option part is not upper case are left out: Airflow would not read them either.
 */
export function envOverridesIn(
  env: Env,
  prefixes: readonly string[],
  section: string,
): { option: string; name: string }[] {
  const found: { option: string; name: string }[] = [];
  for (const prefix of prefixes) {
    const start = `${prefix}__${section.toUpperCase()}__`;
    for (const name of Object.keys(env).sort()) {
      if (!name.startsWith(start)) continue;
      const rest = name.slice(start.length);
      if (rest !== rest.toUpperCase() || rest === "") continue;
      found.push({ option: rest.toLowerCase(), name });
    }
  }
  return found;
}

/** Throws a `TypeError` for a prefix that is not upper case letters, digits and `_`. */
export function checkEnvPrefixes(prefixes: readonly string[]): void {
  for (const prefix of prefixes) {
    if (!PREFIX_PATTERN.test(prefix)) {
      throw new TypeError(
        `env override prefix must be upper case letters, digits and "_"; got ${JSON.stringify(prefix)}`,
      );
    }
  }
}
