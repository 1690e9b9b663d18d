// Everything a request needs that outlives it: built once per config.
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { buildModelTable, type ModelTable } from '../routing/modelTable.js';
import { UpstreamPools } from '../upstream/pools.js';

export interface GatewayRuntime {
  readonly config: Config;
  readonly models: ModelTable;
  readonly pools: UpstreamPools;
  readonly log: Logger;
}

export function createRuntime(config: Config, log: Logger, pools = new UpstreamPools()): GatewayRuntime {
  return { config, models: buildModelTable(config), pools, log };
}
