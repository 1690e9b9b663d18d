// Public surface of the config module.
export { loadConfigFile, loadConfigText } from './load.js';
export { buildZeroConfig, zeroConfigYaml, ZERO_CONFIG_PROVIDERS, ZERO_CONFIG_SOURCE } from './zeroConfig.js';
export { formatIssue, formatIssues } from './formatIssues.js';
export { parseDuration } from './duration.js';
export { defaultRetryPolicy } from './retryPolicy.js';
export type * from './types.js';
