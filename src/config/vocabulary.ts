// The closed sets of words a config may use where the resolved Config keeps
// them as they are. Each is written once, as a schema: the structural schema
// embeds it, its TypeScript union is derived from it (Static), and code that
// needs the list reads `.enum`.
import { Type, type Static, type TEnum } from 'typebox';
import { TRANSLATION_MODES } from '../dialects/translationLoss.js';

/**
 * A string that must be one of `values`. `enum` rather than a union of
 * literals: ajv then reports one error naming every allowed word (and
 * schemaIssues can suggest the closest), not one error per branch.
 */
export function words<const V extends string[]>(...values: V): TEnum<V> {
  return Type.Enum<V>(values, { type: 'string' });
}

/** Which models a retry may move to, relative to the primary's provider prefix. */
export const Strategy = words('same_model', 'same_provider', 'different_provider');
export type Strategy = Static<typeof Strategy>;

/** What a block covers: one model entry, or every entry sharing its prefix. */
export const BlockScope = words('model', 'provider');
export type BlockScope = Static<typeof BlockScope>;

/** Whether a block is remembered for every request (global) or only the current one. */
export const BlockApplyTo = words('global', 'request');
export type BlockApplyTo = Static<typeof BlockApplyTo>;

/** Which retries a backoff delays. */
export const BackoffApplyTo = words('same_model', 'same_provider', 'global');
export type BackoffApplyTo = Static<typeof BackoffApplyTo>;

/** What on_high_latency times: to the response headers, or to the end of the body. */
export const LatencyMeasure = words('ttfb', 'total');
export type LatencyMeasure = Static<typeof LatencyMeasure>;

/** LLM-aware error classes read from a provider's error body (and status). */
export const ErrorClass = words('context_length_exceeded', 'content_policy', 'auth', 'overloaded');
export type ErrorClass = Static<typeof ErrorClass>;

/** stream_commit written as a word; the `{buffer_ms: N}` form resolves to a window. */
export const StreamCommitWord = words('immediate', 'buffered');
export type StreamCommitWord = Static<typeof StreamCommitWord>;

/** A first-byte or first-token timeout written as a word: learned from the model's recent times. */
export const GuardWord = words('auto');
export type GuardWord = Static<typeof GuardWord>;

/** What a hedge waits for: the response headers (a stream: its first event), or the first content token. */
export const HedgeTrigger = words('first_byte', 'first_token');
export type HedgeTrigger = Static<typeof HedgeTrigger>;

/** hedge.after: the percentile of the model's recent first-byte or first-token times to wait before hedging. */
export const HedgePercentile = words('p50', 'p75', 'p90', 'p95', 'p99');
export type HedgePercentile = Static<typeof HedgePercentile>;

export const LogLevel = words('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent');
export type LogLevel = Static<typeof LogLevel>;

/** Where blocks, circuits, latency windows and the retry gate live: this process, or Redis for a fleet. */
export const SharedStateType = words('memory', 'redis');
export type SharedStateType = Static<typeof SharedStateType>;

/**
 * What a translation does with a hint the target cannot express
 * (dialects/translationLoss.ts): `lenient` drops and names it, `strict` refuses it.
 */
export const TranslationMode = words(...TRANSLATION_MODES);
export type TranslationMode = Static<typeof TranslationMode>;

/** A model no entry, alias or pattern names: `reject` (a 400 naming it) or `use_default` (the default entry). */
export const UnknownModels = words('reject', 'use_default');
export type UnknownModels = Static<typeof UnknownModels>;

/** Where Responses API conversations are kept (Plano's state_storage.type). */
export const StateStorageType = words('memory', 'postgres');
export type StateStorageType = Static<typeof StateStorageType>;
