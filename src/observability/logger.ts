// Structured logs via pino. One logger per gateway; request-scoped fields are
// passed per call rather than through child loggers to keep the hot path lean.
import { pino, type Logger, type DestinationStream } from 'pino';
import type { GatewaySettings } from '../config/types.js';

export type { Logger };

export function createLogger(level: GatewaySettings['logLevel'], destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { svc: 'switchyard' },
    // Belt and braces: credentials are never passed to the logger, but if a
    // header object ever is, these paths are censored.
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["api-key"]', 'accessKey', 'access_key'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
