// The `switchyard:` block (a Switchyard extension) with its defaults.
import { readEnum, readInt, readMap, type RawMap } from './raw.js';
import type { GatewaySettings } from './types.js';

const LOG_LEVELS: readonly GatewaySettings['logLevel'][] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const DEFAULT_GATEWAY: GatewaySettings = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxConcurrentRetries: 1000,
  shutdownGraceMs: 30_000,
  logLevel: 'info',
};

export function buildGateway(root: RawMap): GatewaySettings {
  const s = readMap(root, 'switchyard') ?? {};
  return {
    maxBodyBytes: readInt(s, 'max_body_bytes') ?? DEFAULT_GATEWAY.maxBodyBytes,
    maxConcurrentRetries: readInt(s, 'max_concurrent_retries') ?? DEFAULT_GATEWAY.maxConcurrentRetries,
    shutdownGraceMs: (readInt(s, 'shutdown_grace_seconds') ?? DEFAULT_GATEWAY.shutdownGraceMs / 1000) * 1000,
    logLevel: readEnum(s, 'log_level', LOG_LEVELS, DEFAULT_GATEWAY.logLevel),
  };
}
