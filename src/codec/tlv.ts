// BER-TLV (ISO/IEC 8825-1 as profiled by EMV Book 3 Annex B): multi-byte tags, short and
// long-form lengths, constructed templates (bit 6 of the first tag byte) nested.
// Decode accepts non-minimal long-form lengths and '00' padding between objects (EMV);
// encode always writes minimal lengths. Depth and node count are bounded.
import { Bytes, alloc, copy, fromHex, get, len, set, slice, toHex } from "../bytes/index";
import { fail } from "../errors";

/** One data object: upper-case hex tag and either a primitive value or children. */
export interface TlvNode {
  tag: string;
  value?: Bytes;
  children?: TlvNode[];
}

/** Most templates nested inside one another. */
export const TLV_MAX_DEPTH = 8;
/** Most data objects one decode may produce. */
export const TLV_MAX_NODES = 1024;
/** Longest tag, in bytes (EMV uses at most 3). */
export const TLV_MAX_TAG_BYTES = 4;
/** Longest long-form length field, in bytes after the 0x8N byte. */
export const TLV_MAX_LENGTH_BYTES = 4;

const CONSTRUCTED_BIT = 0x20;
const TAG_NUMBER_MASK = 0x1f;
const MORE_TAG_BYTES = 0x80;
const PADDING = 0x00;

interface Cursor {
  b: Bytes;
  pos: number;
  nodes: number;
}

/** True when the tag (hex) marks a constructed object (bit 6 of its first byte). */
export function isConstructed(tag: string): boolean {
  if (tag.length < 2) fail("tlv", "tag \"" + tag + "\" is not hex");
  return (get(fromHex(tag.substring(0, 2)), 0) & CONSTRUCTED_BIT) !== 0;
}

/** Decodes the data objects filling `b[off .. off+n)`. */
export function decodeTlv(b: Bytes, off: number, n: number): TlvNode[] {
  if (off < 0 || n < 0 || off + n > len(b)) fail("tlv", "range " + off + "+" + n + " outside " + len(b) + " bytes");
  const cur: Cursor = { b: b, pos: off, nodes: 0 };
  return readList(cur, off + n, 0);
}

function readList(cur: Cursor, end: number, depth: number): TlvNode[] {
  const out: TlvNode[] = [];
  while (cur.pos < end) {
    if (get(cur.b, cur.pos) === PADDING) {
      cur.pos += 1;
      continue;
    }
    cur.nodes += 1;
    if (cur.nodes > TLV_MAX_NODES) fail("tlv", "more than " + TLV_MAX_NODES + " data objects at offset " + cur.pos);
    out.push(readNode(cur, end, depth));
  }
  return out;
}

function readNode(cur: Cursor, end: number, depth: number): TlvNode {
  const at = cur.pos;
  const tag = readTag(cur, end);
  const n = readLength(cur, end, tag);
  if (n > end - cur.pos) fail("tlv", "value of tag " + tag + " at offset " + at + " needs " + n + " bytes, " + (end - cur.pos) + " left");
  const start = cur.pos;
  if ((get(cur.b, at) & CONSTRUCTED_BIT) !== 0) {
    if (depth >= TLV_MAX_DEPTH) fail("tlv", "templates nested deeper than " + TLV_MAX_DEPTH + " at offset " + at);
    const children = readList(cur, start + n, depth + 1);
    return { tag: tag, children: children };
  }
  cur.pos = start + n;
  return { tag: tag, value: slice(cur.b, start, n) };
}

function readTag(cur: Cursor, end: number): string {
  const at = cur.pos;
  let count = 1;
  if ((get(cur.b, at) & TAG_NUMBER_MASK) === TAG_NUMBER_MASK) {
    while (true) {
      if (at + count >= end) fail("tlv", "truncated tag at offset " + at);
      if (count >= TLV_MAX_TAG_BYTES) fail("tlv", "tag longer than " + TLV_MAX_TAG_BYTES + " bytes at offset " + at);
      const more = (get(cur.b, at + count) & MORE_TAG_BYTES) !== 0;
      count += 1;
      if (!more) break;
    }
  }
  cur.pos = at + count;
  return toHex(cur.b, at, count);
}

function readLength(cur: Cursor, end: number, tag: string): number {
  const at = cur.pos;
  if (at >= end) fail("tlv", "missing length of tag " + tag + " at offset " + at);
  const first = get(cur.b, at);
  cur.pos = at + 1;
  if (first < 0x80) return first;
  const k = first - 0x80;
  if (k === 0) fail("tlv", "indefinite length of tag " + tag + " at offset " + at);
  if (k > TLV_MAX_LENGTH_BYTES) fail("tlv", "length field of " + k + " bytes for tag " + tag + " at offset " + at);
  if (at + 1 + k > end) fail("tlv", "truncated length of tag " + tag + " at offset " + at);
  let n = 0;
  for (let i = 0; i < k; i++) n = n * 256 + get(cur.b, at + 1 + i);
  cur.pos = at + 1 + k;
  return n;
}

/** Checks a tag's hex against BER rules; returns its bytes. */
function tagBytes(tag: string): Bytes {
  const t = fromHex(tag);
  const n = len(t);
  if (n === 0 || n > TLV_MAX_TAG_BYTES) fail("tlv", "tag \"" + tag + "\" must be 1.." + TLV_MAX_TAG_BYTES + " bytes");
  if (n === 1 && get(t, 0) === PADDING) fail("tlv", "tag 00 is reserved for padding");
  const multi = (get(t, 0) & TAG_NUMBER_MASK) === TAG_NUMBER_MASK;
  if (!multi && n > 1) fail("tlv", "tag " + tag + ": first byte says one byte");
  for (let i = 1; i < n; i++) {
    const more = (get(t, i) & MORE_TAG_BYTES) !== 0;
    if (more !== (i < n - 1)) fail("tlv", "tag " + tag + ": bad continuation bit in byte " + i);
  }
  if (multi && n === 1) fail("tlv", "tag " + tag + ": first byte says more bytes follow");
  return t;
}

function lengthSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  return n < 0x1000000 ? 4 : 5;
}

/** Encoded size of the value of `node` (checking its shape), at nesting `depth`. */
function valueSize(node: TlvNode, depth: number): number {
  const constructed = isConstructed(node.tag);
  if (constructed && depth >= TLV_MAX_DEPTH) fail("tlv", "templates nested deeper than " + TLV_MAX_DEPTH + " at tag " + node.tag);
  if (constructed && (node.children === undefined || node.value !== undefined)) fail("tlv", "constructed tag " + node.tag + " needs children (and no value)");
  if (!constructed && (node.value === undefined || node.children !== undefined)) fail("tlv", "primitive tag " + node.tag + " needs a value (and no children)");
  if (node.value !== undefined) return len(node.value);
  const kids = node.children as TlvNode[];
  let total = 0;
  for (let i = 0; i < kids.length; i++) total += nodeSize(kids[i], depth + 1);
  return total;
}

function nodeSize(node: TlvNode, depth: number): number {
  const tagLength = len(tagBytes(node.tag));
  const n = valueSize(node, depth);
  return tagLength + lengthSize(n) + n;
}

/** Encodes `nodes` with minimal lengths. */
export function encodeTlv(nodes: TlvNode[]): Bytes {
  let total = 0;
  for (let i = 0; i < nodes.length; i++) total += nodeSize(nodes[i], 0);
  const out = alloc(total);
  let at = 0;
  for (let i = 0; i < nodes.length; i++) at = writeNode(out, at, nodes[i]);
  return out;
}

function writeNode(out: Bytes, at: number, node: TlvNode): number {
  const t = tagBytes(node.tag);
  copy(t, 0, out, at, len(t));
  let pos = at + len(t);
  const n = valueSize(node, 0);
  const k = lengthSize(n) - 1;
  if (k > 0) {
    set(out, pos, 0x80 + k);
    pos += 1;
  }
  for (let i = k === 0 ? 0 : k - 1; i >= 0; i--) {
    set(out, pos, Math.floor(n / Math.pow(256, i)) % 256);
    pos += 1;
  }
  if (node.value !== undefined) {
    copy(node.value, 0, out, pos, n);
    return pos + n;
  }
  const kids = node.children as TlvNode[];
  for (let i = 0; i < kids.length; i++) pos = writeNode(out, pos, kids[i]);
  return pos;
}

/** The first node with `tag` (any case), depth-first in order, or undefined. */
export function findTlv(nodes: TlvNode[], tag: string): TlvNode | undefined {
  const want = toHex(fromHex(tag));
  return findIn(nodes, want, 0);
}

function findIn(nodes: TlvNode[], tag: string, depth: number): TlvNode | undefined {
  if (depth > TLV_MAX_DEPTH) return undefined;
  for (let i = 0; i < nodes.length; i++) {
    if (nodes[i].tag === tag) return nodes[i];
    const kids = nodes[i].children;
    if (kids !== undefined) {
      const hit = findIn(kids, tag, depth + 1);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}
