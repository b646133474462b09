import type { ConfigIssue } from "../types.js";

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
