/** The middleware reports config issues through this path; the error types live in `@tracklet/config`. */
export { ConfigError, formatIssue } from "@tracklet/config";
