import { homedir } from "node:os";

/** Environment variables as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

/** Thrown when a value references an environment variable that is not set; names the variable only. */
export class ExpansionError extends Error {
  override name = "ExpansionError";
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.variable = variable;
  }
}

// `$NAME` or `${...}`; like os.path.expandvars, a `$` followed by anything else stays literal.
const REFERENCE = /\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([^}]*)\})/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_ROUNDS = 20;

function expandOnce(value: string, env: Env, strict: boolean, home: string): string {
  const replaced = value.replace(REFERENCE, (whole, bare: string | undefined, braced: string | undefined) => {
    const name = bare ?? braced ?? "";
    if (bare === undefined && !NAME.test(name)) {
      if (!strict) return whole;
      throw new ExpansionError(
        name,
        `unsupported reference "\${${name}}": only \${NAME} and $NAME are expanded (no defaults or other shell syntax)`,
      );
    }
    const resolved = env[name];
    if (resolved !== undefined) return resolved;
    if (!strict) return whole;
    throw new ExpansionError(name, `environment variable ${name} is not set`);
  });
  // os.path.expanduser: only a leading `~` or `~/`.
  if (replaced === "~" || replaced.startsWith("~/")) return home + replaced.slice(1);
  return replaced;
}

/**
 * Expand `$NAME`, `${NAME}` and a leading `~` like Airflow's `expand_env_var` (repeated until nothing changes,
 * so variables whose values reference other variables are expanded too). Deviation from Airflow: a variable
 * written in the value itself must be set, else {@link ExpansionError}; text that arrives through a variable's
 * value is expanded leniently (unknown references kept as-is), since it is data rather than configuration.
 */
export function expandEnv(value: string, env: Env): string {
  const home = env.HOME ?? homedir();
  let current = expandOnce(value, env, true, home);
  if (current === value) return current;
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const next = expandOnce(current, env, false, home);
    if (next === current) return next;
    current = next;
  }
  throw new ExpansionError(
    "",
    `environment variable references do not settle after ${MAX_ROUNDS} rounds (a variable refers to itself)`,
  );
}
