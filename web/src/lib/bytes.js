// Byte helpers shared by the crypto modules. Hex is lower case, base64 is standard padded.
import { base64 } from '@scure/base';

export const utf8 = (s) => new TextEncoder().encode(s);
export const fromUtf8Strict = (b) => new TextDecoder('utf-8', { fatal: true }).decode(b);

export function hex(b) {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function unhex(s) {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new Error('not hex');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

export const toBase64 = (b) => base64.encode(b);
export const fromBase64 = (s) => base64.decode(s);

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Reversed copy: Bitcoin shows hashes in the reverse of their internal byte order. */
export const reversed = (b) => Uint8Array.from(b).reverse();
