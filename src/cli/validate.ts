// `switchyard validate FILE`: every problem, with file, field path and line.
import { loadConfigFile } from '../config/load.js';
import { formatIssues } from '../config/formatIssues.js';

export function validateFile(file: string): number {
  const result = loadConfigFile(file);
  if (!result.ok) {
    process.stderr.write(`${formatIssues(result.issues, file)}\n`);
    const errors = result.issues.filter((i) => i.severity === 'error').length;
    process.stderr.write(`${file}: invalid (${errors} error${errors === 1 ? '' : 's'})\n`);
    return 2;
  }
  if (result.warnings.length > 0) process.stderr.write(`${formatIssues(result.warnings, file)}\n`);
  const c = result.config;
  process.stdout.write(
    `${file}: valid — listener ${c.listener.address}:${c.listener.port}, ${c.providers.length} model provider(s), ` +
      `${c.aliases.size} alias(es), ${result.warnings.length} warning(s)\n`,
  );
  return 0;
}
