// The store state_storage asks for, opened at start-up.
import type { StateStorageConfig } from '../../config/types.js';
import { MemoryConversationStore } from './memoryStore.js';
import { PostgresConversationStore, type StoreLog } from './postgresStore.js';
import type { ConversationStore } from './record.js';

export async function openConversationStore(config: StateStorageConfig, log: StoreLog): Promise<ConversationStore> {
  if (config.type === 'memory') return new MemoryConversationStore(config.ttlMs, config.maxEntries);
  const store = new PostgresConversationStore(config.connectionString, config.ttlMs, log);
  await store.open();
  return store;
}

