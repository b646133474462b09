export { ConfigError, type ConfigIssue, formatIssue } from "./config-error.js";
export { didYouMean, editDistance } from "./did-you-mean.js";
export { type Env, ExpansionError, expandEnv } from "./env-expansion.js";
export {
  checkEnvPrefixes,
  DEFAULT_ENV_PREFIXES,
  type EnvOverride,
  envOverrideName,
  envOverridesIn,
  findEnvOverride,
} from "./env-overrides.js";
export {
  type IniDocument,
  type IniProblem,
  type IniSection,
  IniSyntaxError,
  type IniValue,
  InterpolationError,
  interpolate,
  lookup,
  parseIni,
} from "./ini.js";
export { maskSecret, maskUrlCredentials } from "./mask.js";
export { type ReadConfigFileOptions, readConfigFile } from "./read-config-file.js";
export {
  hasSpaceOrControl,
  isRootRelativePath,
  isUnsetWord,
  parseBoolean,
  parseHttpUrl,
  parseList,
  parsePositiveInteger,
} from "./values.js";
