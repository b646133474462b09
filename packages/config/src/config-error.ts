/** One problem found in a config. `severity: "error"` refuses start-up. */
export interface ConfigIssue {
  severity: "error" | "warning";
  /** `file:line` when known, else the env var name or `<string>`. */
  where: string;
  option?: string;
  message: string;
  /** What a valid value looks like (when the issue is about a value). */
  expected?: string;
  /** The offending value, already masked when the option is a secret. */
  found?: string;
  /** A close valid spelling (`did you mean`). */
  suggestion?: string;
}

/** `where: message`, the one-line form of an issue. */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.where}: ${issue.message}`;
}

/** A config that cannot be used. `issues` holds every error; `warnings` what was found besides. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  constructor(issues: ConfigIssue[], warnings: ConfigIssue[] = []) {
    super(issues.map(formatIssue).join("\n"));
    this.issues = issues;
    this.warnings = warnings;
  }
}
