// The names a Responses request's tools take on a Chat Completions target,
// and the way back. Chat Completions knows plain functions only, so:
// - a function inside a namespace tool is offered as `<namespace>__<name>`;
// - a custom (freeform) tool is offered as a function with one string
//   parameter, `input`, whose value is the freeform text.
// The model's calls are mapped back to function_call / custom_tool_call items
// with their own name and namespace, so the client sees the names it offered.
import type { ResponsesFunctionTool, ResponsesCustomTool, ResponsesRequest, ResponsesTool } from '../responses/types.js';

export interface OfferedTool {
  readonly kind: 'function' | 'custom';
  readonly name: string;
  readonly namespace: string | undefined;
  readonly tool: ResponsesFunctionTool | ResponsesCustomTool;
}

/** Chat function name → the tool the client offered. */
export type ToolNames = ReadonlyMap<string, OfferedTool>;

export const NAMESPACE_SEPARATOR = '__';

export const flatName = (name: string, namespace: string | undefined): string =>
  namespace === undefined ? name : `${namespace}${NAMESPACE_SEPARATOR}${name}`;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Tools in the order offered: the request's `tools`, then those of `additional_tools` input items. */
export function offeredTools(req: ResponsesRequest): ResponsesTool[] {
  const tools: ResponsesTool[] = [...(req.tools ?? [])];
  if (Array.isArray(req.input)) {
    for (const item of req.input) {
      if (isRecord(item) && item['type'] === 'additional_tools' && Array.isArray(item['tools'])) tools.push(...item['tools']);
    }
  }
  return tools;
}

function add(out: Map<string, OfferedTool>, tool: ResponsesTool, namespace: string | undefined): void {
  if (tool.type !== 'function' && tool.type !== 'custom') return;
  const t = tool as ResponsesFunctionTool | ResponsesCustomTool;
  out.set(flatName(t.name, namespace), { kind: t.type, name: t.name, namespace, tool: t });
}

export function toolNamesOf(req: ResponsesRequest): ToolNames {
  const out = new Map<string, OfferedTool>();
  for (const tool of offeredTools(req)) {
    if (tool.type === 'namespace' && Array.isArray(tool['tools'])) {
      for (const inner of tool['tools'] as ResponsesTool[]) add(out, inner, String(tool['name']));
    } else {
      add(out, tool, undefined);
    }
  }
  return out;
}
