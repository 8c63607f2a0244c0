// Checks a proof from GET /v1/jobs/{id}/proof in the browser, believing none of the server's
// claims: the txid, the record, the signer and the block are each re-derived from the raw
// transaction, the merkle path and a block header fetched from a source other than the API.
import { hex, unhex, fromBase64, reversed, equalBytes } from './bytes.js';
import { parseTx, decodeRecordScript, txidOf, sha256d } from './tx.js';
import { parseBump, computeRoot } from './bump.js';
import { verifyEnvelope } from './envelope.js';

export const CHECKS = {
  PARSES: 'transaction parses',
  TXID: 'txid',
  RECORD: 'record output',
  ENVELOPE: 'envelope matches proof',
  SIGNATURE: 'client signature',
  SIGNER: 'signer',
  MERKLE: 'merkle path',
  HEADER: 'block header',
};

const pass = (check, reason) => ({ check, outcome: 'PASS', reason });
const fail = (check, reason) => ({ check, outcome: 'FAIL', reason });
const skip = (check, reason) => ({ check, outcome: 'SKIP', reason });

function bytesOf(s) {
  if (s === undefined || s === null) return null;
  try {
    return unhex(s);
  } catch {
    try {
      return fromBase64(s);
    } catch {
      return new Uint8Array(0);
    }
  }
}

/** Fills {hash}/{height} in the template, or appends the hash as a path segment. */
export function headerUrl(template, blockHash, blockHeight) {
  if (template.includes('{hash}') || template.includes('{height}')) {
    return template.replace('{hash}', blockHash).replace('{height}', blockHeight ?? '');
  }
  return (template.endsWith('/') ? template : template + '/') + blockHash;
}

function u32le(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, Number(n) >>> 0, true);
  return b;
}

/**
 * A block from a header source's answer: the 80-byte header ("header"/"blockHeader"/"rawHeader"
 * hex), else one rebuilt from WhatsOnChain-style fields, else a bare stated merkle root.
 */
export function parseHeaderAnswer(body) {
  const n = typeof body === 'string' ? JSON.parse(body) : body;
  for (const f of ['header', 'blockHeader', 'rawHeader']) {
    if (typeof n[f] === 'string' && n[f].length === 160) return fromHeader(unhex(n[f]));
  }
  const root = n.merkleroot ?? n.merkleRoot;
  if (!root) throw new Error('the answer has neither a header nor a merkle root');
  const prev = n.previousblockhash ?? n.prevHash;
  if (n.version === undefined || n.time === undefined || n.bits === undefined || n.nonce === undefined) {
    return { hash: n.hash ?? null, merkleRoot: reversed(unhex(root)), fromHeader: false };
  }
  const header = new Uint8Array(80);
  header.set(u32le(n.version), 0);
  header.set(prev ? reversed(unhex(prev)) : new Uint8Array(32), 4);
  header.set(reversed(unhex(root)), 36);
  header.set(u32le(n.time), 68);
  header.set(u32le(typeof n.bits === 'string' ? parseInt(n.bits, 16) : n.bits), 72);
  header.set(u32le(n.nonce), 76);
  return fromHeader(header);
}

function fromHeader(raw) {
  return { hash: hex(reversed(sha256d(raw))), merkleRoot: raw.slice(36, 68), fromHeader: true };
}

/**
 * @param proof     the proof JSON
 * @param opts.headers   async (blockHash, blockHeight) => parsed header answer (parseHeaderAnswer) or null
 * @param opts.headersName  where headers come from, for the report
 * @param opts.expectedSigner  the public key hex the user expects, or null
 */
export async function verifyProof(proof, { headers, headersName = 'the header source', expectedSigner = null } = {}) {
  const checks = [];
  const raw = bytesOf(proof.rawTx);

  let tx = null;
  if (!raw || raw.length === 0) {
    checks.push(fail(CHECKS.PARSES, 'the proof has no raw transaction'));
  } else {
    try {
      tx = parseTx(raw);
      checks.push(pass(CHECKS.PARSES, `${tx.size} bytes, ${tx.inputs.length} input(s), ${tx.outputs.length} output(s)`));
    } catch (e) {
      checks.push(fail(CHECKS.PARSES, `the raw transaction does not parse: ${e.message}`));
    }
  }

  const txid = raw && raw.length ? txidOf(raw) : null;
  if (!txid) checks.push(skip(CHECKS.TXID, 'no raw transaction'));
  else if (proof.txid && proof.txid.toLowerCase() !== txid) {
    checks.push(fail(CHECKS.TXID, `the proof claims ${proof.txid} but the raw transaction hashes to ${txid}`));
  } else checks.push(pass(CHECKS.TXID, `${txid} = double SHA-256 of the raw transaction`));

  let onChain = null;
  if (!tx) checks.push(skip(CHECKS.RECORD, 'no parsed transaction'));
  else {
    try {
      let index = proof.outputIndex;
      if (index === undefined || index === null) {
        index = tx.outputs.findIndex((o) => {
          try {
            decodeRecordScript(o.script);
            return true;
          } catch {
            return false;
          }
        });
        if (index < 0) throw new Error('no OP_FALSE OP_RETURN record output in the transaction');
      }
      const out = tx.outputs[index];
      if (!out) throw new Error(`output ${index} does not exist`);
      onChain = decodeRecordScript(out.script);
      if (out.satoshis !== 0n) throw new Error(`the record output carries ${out.satoshis} sats, not 0`);
      checks.push(pass(CHECKS.RECORD, `output ${index} is OP_FALSE OP_RETURN, 0 sats, ${onChain.signedPayload.length}-char payload`));
    } catch (e) {
      onChain = null;
      checks.push(fail(CHECKS.RECORD, `the record output does not decode: ${e.message}`));
    }
  }

  if (!onChain) checks.push(skip(CHECKS.ENVELOPE, 'no decoded record'));
  else {
    const diffs = [];
    if (proof.signedPayload != null && proof.signedPayload !== onChain.signedPayload) diffs.push('signedPayload');
    if (proof.signature != null && proof.signature !== onChain.signature) diffs.push('signature');
    if (proof.pubkey != null && proof.pubkey.toLowerCase() !== onChain.pubkey) diffs.push('pubkey');
    checks.push(diffs.length === 0
      ? pass(CHECKS.ENVELOPE, 'signedPayload, signature and pubkey equal the on-chain record')
      : fail(CHECKS.ENVELOPE, `the proof's ${diffs.join(', ')} differ(s) from the on-chain record`));
  }

  if (!onChain) checks.push(skip(CHECKS.SIGNATURE, 'no decoded record'));
  else {
    try {
      const v = verifyEnvelope(onChain, 'publish');
      checks.push(pass(CHECKS.SIGNATURE, `valid ECDSA secp256k1 signature by ${v.pubkey} over SHA-256 ${v.payloadHash}`));
      if (expectedSigner) {
        checks.push(v.pubkey === expectedSigner
          ? pass(CHECKS.SIGNER, `signed by your key ${expectedSigner}`)
          : fail(CHECKS.SIGNER, `signed by ${v.pubkey}, not by your key ${expectedSigner}`));
      }
    } catch (e) {
      checks.push(fail(CHECKS.SIGNATURE, `${e.code ?? 'INVALID'}: ${e.message}`));
    }
  }

  if (!proof.merklePath) {
    checks.push(skip(CHECKS.MERKLE, 'not mined yet (no merkle path)'));
    checks.push(skip(CHECKS.HEADER, 'not mined yet'));
  } else if (!txid) {
    checks.push(skip(CHECKS.MERKLE, 'no raw transaction'));
    checks.push(skip(CHECKS.HEADER, 'no raw transaction'));
  } else {
    let root = null;
    try {
      const path = parseBump(bytesOf(proof.merklePath));
      const r = computeRoot(path, reversed(unhex(txid)));
      if (proof.blockHeight != null && path.blockHeight !== Number(proof.blockHeight)) {
        checks.push(fail(CHECKS.MERKLE, `the path is for block height ${path.blockHeight} but the proof says ${proof.blockHeight}`));
      } else {
        root = r;
        checks.push(pass(CHECKS.MERKLE, `leads from the txid to merkle root ${hex(reversed(root))} (height ${path.blockHeight})`));
      }
    } catch (e) {
      checks.push(fail(CHECKS.MERKLE, e.message));
    }
    checks.push(await checkHeader(proof, root, headers, headersName));
  }
  const failed = checks.some((c) => c.outcome === 'FAIL');
  return { txid: txid ?? proof.txid, mined: !!proof.merklePath, result: failed ? 'FAIL' : 'PASS', checks };
}

async function checkHeader(proof, root, headers, headersName) {
  if (!root) return skip(CHECKS.HEADER, 'no merkle root to compare');
  if (!proof.blockHash) return skip(CHECKS.HEADER, 'the proof names no block');
  if (!headers) return skip(CHECKS.HEADER, 'no header source configured');
  let block;
  try {
    block = await headers(proof.blockHash, proof.blockHeight);
  } catch (e) {
    return fail(CHECKS.HEADER, `cannot fetch block ${proof.blockHash} from ${headersName}: ${e.message}`);
  }
  if (!block) return fail(CHECKS.HEADER, `${headersName} does not know block ${proof.blockHash}`);
  if (block.hash && block.hash.toLowerCase() !== proof.blockHash.toLowerCase()) {
    return fail(CHECKS.HEADER, `${block.fromHeader ? 'the header from ' + headersName + ' hashes to' : headersName + ' names block'} ${block.hash}, not the proof's block ${proof.blockHash}`);
  }
  if (!equalBytes(block.merkleRoot, root)) {
    return fail(CHECKS.HEADER, `block ${proof.blockHash} commits to merkle root ${hex(reversed(block.merkleRoot))}, the path leads to ${hex(reversed(root))}`);
  }
  return pass(CHECKS.HEADER, `block ${proof.blockHash} (${block.fromHeader ? 'header' : 'merkle root'} from ${headersName}) commits to that root`);
}
