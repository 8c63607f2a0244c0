// Decodes a raw BSV transaction and RareGen's record output (docs/PROTOCOL.md). Written for the
// page so that it checks proofs with code the server does not run.
import { sha256 } from '@noble/hashes/sha2.js';
import { hex, reversed, fromUtf8Strict, toBase64 } from './bytes.js';

export const sha256d = (b) => sha256(sha256(b));
/** txid in display hex: double SHA-256 of the raw bytes, reversed. */
export const txidOf = (raw) => hex(reversed(sha256d(raw)));

class Reader {
  constructor(b) {
    this.b = b;
    this.pos = 0;
  }
  need(n) {
    if (this.pos + n > this.b.length) throw new Error(`truncated at byte ${this.pos}`);
  }
  u8() {
    this.need(1);
    return this.b[this.pos++];
  }
  bytes(n) {
    this.need(n);
    const r = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  uint(n) {
    this.need(n);
    let v = 0n;
    for (let i = 0; i < n; i++) v |= BigInt(this.b[this.pos++]) << BigInt(8 * i);
    return v;
  }
  varInt() {
    const first = this.u8();
    if (first < 0xfd) return first;
    const v = this.uint(first === 0xfd ? 2 : first === 0xfe ? 4 : 8);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('varint too large');
    return Number(v);
  }
  atEnd() {
    return this.pos === this.b.length;
  }
}
export { Reader };

/** {version, inputs:[{txid, vout, script}], outputs:[{satoshis, script}], lockTime}; throws on any malformation. */
export function parseTx(raw) {
  const r = new Reader(raw);
  const version = Number(r.uint(4));
  const nIn = r.varInt();
  if (nIn === 0) throw new Error('no inputs');
  const inputs = [];
  for (let i = 0; i < nIn; i++) {
    const txid = hex(reversed(r.bytes(32)));
    const vout = Number(r.uint(4));
    const script = r.bytes(r.varInt());
    r.uint(4); // sequence
    inputs.push({ txid, vout, script });
  }
  const nOut = r.varInt();
  if (nOut === 0) throw new Error('no outputs');
  const outputs = [];
  for (let i = 0; i < nOut; i++) {
    const satoshis = r.uint(8);
    outputs.push({ satoshis, script: r.bytes(r.varInt()) });
  }
  const lockTime = Number(r.uint(4));
  if (!r.atEnd()) throw new Error(`${raw.length - r.pos} bytes after the lock time`);
  return { version, inputs, outputs, lockTime, size: raw.length };
}

const B_PREFIX = '19HxigV4QyBv3tHpQVcUEQyq1pzZVdoAut';
const ascii = (b) => String.fromCharCode(...b);

/** The nine pushes after OP_FALSE OP_RETURN; returns the envelope or throws with the reason. */
export function decodeRecordScript(script) {
  if (script.length < 2 || script[0] !== 0x00 || script[1] !== 0x6a) throw new Error('not an OP_FALSE OP_RETURN script');
  const r = new Reader(script);
  r.pos = 2;
  const pushes = [];
  while (!r.atEnd()) {
    const op = r.u8();
    let n;
    if (op <= 75) n = op;
    else if (op === 0x4c) n = Number(r.uint(1));
    else if (op === 0x4d) n = Number(r.uint(2));
    else if (op === 0x4e) n = Number(r.uint(4));
    else throw new Error(`opcode 0x${op.toString(16)} is not a data push`);
    pushes.push(r.bytes(n));
  }
  if (pushes.length < 7 || ascii(pushes[0]) !== B_PREFIX || ascii(pushes[4]) !== '|' || ascii(pushes[5]) !== 'raregen') {
    throw new Error('not a RareGen record (B:// prefix, | and raregen expected)');
  }
  if (ascii(pushes[6]) !== '1') throw new Error('unsupported RareGen record version');
  if (pushes.length !== 9) throw new Error(`expected 9 pushes, found ${pushes.length}`);
  if (ascii(pushes[2]) !== 'application/json' || ascii(pushes[3]) !== 'utf-8') throw new Error('media type must be application/json, utf-8');
  let signedPayload;
  try {
    signedPayload = fromUtf8Strict(pushes[1]);
  } catch {
    throw new Error('the payload is not valid UTF-8');
  }
  if (pushes[7].length < 8 || pushes[7].length > 72) throw new Error('the signature push is not 8-72 bytes');
  if (pushes[8].length !== 33) throw new Error('the public key push is not 33 bytes');
  return { signedPayload, signature: toBase64(pushes[7]), pubkey: hex(pushes[8]) };
}
