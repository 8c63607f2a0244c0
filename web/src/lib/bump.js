// BRC-74 BSV Unified Merkle Path: varint block height, one byte tree height, then per level a
// varint leaf count and per leaf a varint offset, a flags byte (bit 0: duplicate of its sibling,
// no hash; bit 1: a client txid) and the 32-byte hash in internal byte order.
import { Reader, sha256d } from './tx.js';
import { concat, equalBytes, hex, reversed } from './bytes.js';

export function parseBump(bytes) {
  const r = new Reader(bytes);
  const blockHeight = r.varInt();
  const treeHeight = r.u8();
  if (treeHeight < 1 || treeHeight > 64) throw new Error(`tree height ${treeHeight} out of range 1..64`);
  const levels = [];
  for (let level = 0; level < treeHeight; level++) {
    const n = r.varInt();
    if (n > bytes.length) throw new Error(`level ${level} claims ${n} leaves`);
    const leaves = new Map();
    for (let i = 0; i < n; i++) {
      const offset = r.varInt();
      const flags = r.u8();
      if (flags & ~3) throw new Error(`unknown flags 0x${flags.toString(16)} at level ${level}`);
      const hash = flags & 1 ? null : r.bytes(32);
      if (leaves.has(offset)) throw new Error(`offset ${offset} twice at level ${level}`);
      leaves.set(offset, { offset, flags, hash });
    }
    levels.push(leaves);
  }
  if (!r.atEnd()) throw new Error(`${bytes.length - r.pos} trailing bytes after the path`);
  return { blockHeight, levels };
}

/** The merkle root (internal order) the path proves for txid (internal order); throws with the reason. */
export function computeRoot(path, txidInternal) {
  let offset = -1;
  for (const leaf of path.levels[0].values()) {
    if (leaf.hash && equalBytes(leaf.hash, txidInternal)) offset = leaf.offset;
  }
  if (offset < 0) throw new Error(`the transaction ${hex(reversed(txidInternal))} is not a leaf of this merkle path`);
  const node = (level, off, self) => {
    const leaf = path.levels[level].get(off);
    if (leaf) return leaf.flags & 1 ? self : leaf.hash;
    if (level === 0) throw new Error(`level 0 has no leaf at offset ${off} (sibling missing)`);
    const left = node(level - 1, off * 2, null);
    const right = node(level - 1, off * 2 + 1, left);
    if (!left || !right) throw new Error(`cannot derive the node at level ${level} offset ${off}`);
    return sha256d(concat(left, right));
  };
  let working = txidInternal;
  for (let level = 0; level < path.levels.length; level++) {
    const sibling = node(level, offset ^ 1, working);
    working = offset % 2 === 0 ? sha256d(concat(working, sibling)) : sha256d(concat(sibling, working));
    offset = Math.floor(offset / 2);
  }
  return working;
}
