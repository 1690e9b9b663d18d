// A client's request body as the gateway keeps it: the bytes as they arrived,
// with an index of the top-level members (jsonMembers.ts). The tree is built
// only when something needs it (a translation, a stream continuation's
// prefill); a request whose format matches the target's is sent as the
// client's own bytes with `model` spliced in, so its cost does not grow with
// the prompt (issue 16).
import { scanJsonObject, type ScannedObject } from './jsonMembers.js';

/**
 * Above this, a spliced body is sent as its pieces: joining them copied the
 * whole prompt once more per attempt (1 MB same-format, CPU per request 8.8
 * and 5.6 ms joined, 3.6 and 4.8 ms in pieces). Below it, one buffer is the
 * cheaper write.
 */
const JOIN_LIMIT_BYTES = 64 * 1024;

/** A spliced body as it is sent: its pieces when large, joined when small. */
const wire = (pieces: Buffer[], length: number): Buffer | readonly Buffer[] => (length > JOIN_LIMIT_BYTES ? pieces : Buffer.concat(pieces));

/** The index of a tree the gateway serializes itself: JSON.stringify's output always scans. */
function serialized(tree: Record<string, unknown>): ScannedObject {
  const scanned = scanJsonObject(Buffer.from(JSON.stringify(tree)));
  if (scanned === undefined) throw new Error('jsonMembers.ts refused what JSON.stringify wrote');
  return scanned;
}

export class ClientBody {
  private tree: Record<string, unknown> | undefined;
  /** The member index, or how to build it on first use (a body that came with its tree may never need one). */
  private index: ScannedObject | (() => ScannedObject);

  private constructor(index: ScannedObject | (() => ScannedObject), tree?: Record<string, unknown>) {
    this.index = index;
    this.tree = tree;
  }

  /** The body, when `bytes` is one JSON object (as far as jsonMembers.ts checks); undefined otherwise. */
  static scan(bytes: Buffer): ClientBody | undefined {
    const scanned = scanJsonObject(bytes);
    return scanned === undefined ? undefined : new ClientBody(scanned);
  }

  /**
   * A body whose tree is already built: `bytes` are the client's when it sent
   * exactly this tree, absent when the gateway built it (a Responses turn with
   * its history). Either is scanned, or the tree serialized, only when bytes
   * are asked for: a translated request never asks.
   */
  static ofTree(tree: Record<string, unknown>, bytes?: Buffer): ClientBody {
    return new ClientBody(() => (bytes === undefined ? undefined : scanJsonObject(bytes)) ?? serialized(tree), tree);
  }

  private get scanned(): ScannedObject {
    if (typeof this.index === 'function') this.index = this.index();
    return this.index;
  }

  /** The body's bytes: the client's own, or the serialization of a body the gateway built. */
  get bytes(): Buffer {
    return this.scanned.bytes;
  }

  /** The whole body parsed, built on first use. */
  get json(): Record<string, unknown> {
    this.tree ??= JSON.parse(this.bytes.toString('utf8')) as Record<string, unknown>;
    return this.tree;
  }

  /** One top-level value, parsed alone (or read from the tree, once built). */
  member(key: string): unknown {
    return this.tree === undefined ? this.scanned.value(key) : this.tree[key];
  }

  /** What a top-level member holds, read off its first byte: the prompt's messages need no parse to be known an array. */
  memberKind(key: string): 'missing' | 'array' | 'other' {
    const first = this.scanned.firstByte(key);
    return first === undefined ? 'missing' : first === 0x5b ? 'array' : 'other';
  }

  /**
   * The bytes with every top-level "model" value replaced by `modelId`, or with
   * a "model" member inserted first when there was none. Every other byte is
   * the client's: retries resend exactly what was received. A large body comes
   * back as its pieces, in order.
   */
  withModel(modelId: string): Buffer | readonly Buffer[] {
    const scanned = this.scanned;
    const { bytes, members } = scanned;
    const value = Buffer.from(JSON.stringify(modelId));
    const parts: Buffer[] = [];
    let copied = 0;
    for (const m of members) {
      if (!scanned.keyIs(m, 'model')) continue;
      parts.push(bytes.subarray(copied, m.start), value);
      copied = m.end;
    }
    if (parts.length > 0) {
      parts.push(bytes.subarray(copied));
      return wire(parts, bytes.length);
    }
    const open = bytes.indexOf(0x7b) + 1;
    const inserted = Buffer.from(`"model":${value.toString()}${members.length === 0 ? '' : ','}`);
    return wire([bytes.subarray(0, open), inserted, bytes.subarray(open)], bytes.length);
  }
}
