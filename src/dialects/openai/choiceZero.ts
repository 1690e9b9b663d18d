// Which choice is "the" choice: the one whose index is 0, else the first.
// Requests with n > 1 are refused before they are sent, so this only matters
// for servers that number their one choice oddly; every reader of OpenAI
// answers (streamed or not) uses this one rule.
import { isJsonObject } from '../sse/jsonData.js';

/** Choice 0 of `choices`, if it is an object; never throws on a malformed list. */
export function choiceZero<C extends object>(choices: readonly C[] | null | undefined): C | undefined {
  if (!Array.isArray(choices)) return undefined;
  const list: readonly unknown[] = choices;
  const zero = list.find((c) => isJsonObject(c) && c['index'] === 0) ?? list[0];
  return isJsonObject(zero) ? (zero as C) : undefined;
}
