// GET /v1/models in OpenAI's list format: configured entries and aliases.
// Only names are listed; nothing about endpoints or credentials leaves here.
// A client key limited to some models sees only those (and their aliases).
import { allowsModel, type ClientIdentity } from './clientAuth.js';
import type { GatewayRuntime } from './runtime.js';

export interface ModelList {
  readonly object: 'list';
  readonly data: readonly { id: string; object: 'model'; created: number; owned_by: string }[];
}

export function listModels(rt: GatewayRuntime, identity: ClientIdentity): ModelList {
  const created = 0;
  const visible = (name: string): boolean => allowsModel(identity, { name });
  const data = [
    ...rt.config.providers.filter((p) => visible(p.name)).map((p) => ({ id: p.name, object: 'model' as const, created, owned_by: p.prefix })),
    ...[...rt.config.aliases]
      .filter(([, target]) => visible(target))
      .map(([alias, target]) => ({
        id: alias,
        object: 'model' as const,
        created,
        owned_by: rt.config.providers.find((p) => p.name === target)?.prefix ?? 'switchyard',
      })),
  ];
  return { object: 'list', data };
}
