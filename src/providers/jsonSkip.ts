// The wide (SIMD) path of jsonMembers.ts's container skip, for long prompts:
// jsonSkip.wat, compiled into jsonSkipWasm.ts. One instance serves the process;
// a call copies the bytes into its memory and scans them synchronously, so
// concurrent requests never share it mid-scan. 1 MB of a code prompt: about
// 0.25 ms here, copy included, against 0.7–1.2 ms byte by byte in JavaScript.
import { JSON_SKIP_WASM_BASE64 } from './jsonSkipWasm.js';

/**
 * Above this the memory the scan needs would stay with the process (wasm
 * memory never shrinks): such a body takes the scalar path. A prompt of 200k
 * tokens is about 1 MB.
 */
const WIDE_MAX_BYTES = 8 * 1024 * 1024;
const PAGE = 65536;
/** Spaces after the copied bytes: a step reads 64 bytes at a time. */
const PAD = 64;

/** What this file uses of the WebAssembly global (the project's lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface JsonSkipExports {
  readonly memory: WasmMemory;
  readonly skipContainer: (start: number, end: number, stack: number, depth: number) => number;
}

let instance: JsonSkipExports | null | undefined;

function load(): JsonSkipExports | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new wasm.Module(Buffer.from(JSON_SKIP_WASM_BASE64, 'base64'));
    return new wasm.Instance(module, {}).exports as JsonSkipExports;
  } catch {
    // A runtime without wasm SIMD: the scalar path serves every body.
    return null;
  }
}

/**
 * Takes over a container's scan at `b[i]`, a byte outside any string, with
 * `closers` still expected (innermost last): past the one that closes it, or
 * -1 when it does not close, the same answer as the scalar skip. Undefined
 * when the wide path does not take this body: too large, no wasm SIMD here, or
 * a backslash outside a string (no JSON: the scalar path has the last word).
 */
export function skipContainerWide(b: Buffer, i: number, closers: readonly number[]): number | undefined {
  const n = b.length - i;
  if (n > WIDE_MAX_BYTES) return undefined;
  instance ??= load();
  if (instance === null) return undefined;
  const { memory, skipContainer } = instance;
  // The bytes, the padding, and the closers' stack (at most one per byte).
  const stack = n + PAD;
  const need = stack + closers.length + n;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  const view = new Uint8Array(memory.buffer, 0, stack + closers.length);
  view.set(b.subarray(i), 0);
  view.fill(0x20, n, stack);
  view.set(closers, stack);
  const end = skipContainer(0, n, stack, closers.length);
  return end === -2 ? undefined : end < 0 ? -1 : i + end;
}
