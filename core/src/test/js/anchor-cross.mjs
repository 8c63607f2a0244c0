// The JavaScript side of AnchorCrossCheckTest: a second implementation of the anchor tree (docs/PROTOCOL.md#anchor-mode)
// that shares no code with core. SHA-256 and script parsing come from the official BSV TypeScript SDK; the tree is
// RFC 6962's recursive definition (core builds bottom-up and verifies with RFC 9162's loop; here both recurse).
// Usage: node anchor-cross.mjs <input.json>    Output (stdout): one JSON document.
//   input.vectorsFile: the committed vectors -> vectors: {records: [{canonicalEnvelope, recordDigest, leafHash, signatureValid}],
//     trees: [{size, root, proofs: [{leafIndex, path, committedVerifies, tamperedTried, tamperedAccepted}]}],
//     anchors: [{batchId, treeSize, root, rootMatchesTree, script}]}      (all recomputed, none copied from the file)
//   input.random: [{name, digests}]      -> random: [{name, root, paths}]
//   input.transactions: [{name, rawHex}] -> transactions: [{name, outputs: [{satoshis, script}]}] where script is the
//     parse of the locking script: {opFalse, opReturn, pushes: [hex], allPushes, reserializedEqual, anchor?}
import { readFileSync } from 'node:fs'
import { Hash, OP, PublicKey, Script, Signature, Transaction, Utils } from '@bsv/sdk'

const hex = (bytes) => Utils.toHex(bytes)
const bytes = (h) => Utils.toArray(h, 'hex')
const utf8 = (s) => Utils.toArray(s, 'utf8')

// ---- the tree: leaf = SHA-256(00 || record digest), node = SHA-256(01 || left || right), RFC 6962 split ----
const leaf = (digest) => Hash.sha256([0x00, ...digest])
const node = (left, right) => Hash.sha256([0x01, ...left, ...right])
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k }
const mth = (ls) => ls.length === 1 ? ls[0] : node(mth(ls.slice(0, split(ls.length))), mth(ls.slice(split(ls.length))))
function path (m, ls) {
  if (ls.length === 1) return []
  const k = split(ls.length)
  return m < k ? [...path(m, ls.slice(0, k)), mth(ls.slice(k))] : [...path(m - k, ls.slice(k)), mth(ls.slice(0, k))]
}
// from the root down: the last path element is the root's other child; null if the path does not fit (index, size)
function rootFrom (leafHash, index, size, p) {
  if (size === 1) return p.length === 0 ? leafHash : null
  if (p.length === 0) return null
  const k = split(size)
  const top = p[p.length - 1]
  const rest = p.slice(0, -1)
  if (index < k) {
    const left = rootFrom(leafHash, index, k, rest)
    return left && node(left, top)
  }
  const right = rootFrom(leafHash, index - k, size - k, rest)
  return right && node(top, right)
}
const verifies = (leafHash, index, size, p, root) => {
  const r = rootFrom(leafHash, index, size, p)
  return r !== null && hex(r) === hex(root)
}

// ---- the record leaf: SHA-256 of the RFC 8785 form of {pubkey, signature, signedPayload} (three strings: sorted
// keys, and JSON.stringify's string escaping, which is RFC 8785's) ----
const canonicalEnvelope = (e) => JSON.stringify({ pubkey: e.pubkey, signature: e.signature, signedPayload: e.signedPayload })

function checkVectors (v) {
  const records = v.records.map((r) => {
    const canonical = canonicalEnvelope(r.envelope)
    const digest = Hash.sha256(utf8(canonical))
    const signatureValid = PublicKey.fromString(r.envelope.pubkey)
      .verify(utf8(r.envelope.signedPayload), Signature.fromDER(Utils.toArray(r.envelope.signature, 'base64')))
    return { canonicalEnvelope: canonical, recordDigest: hex(digest), leafHash: hex(leaf(digest)), signatureValid }
  })
  const leaves = records.map((r) => bytes(r.leafHash))
  const trees = v.trees.map((t) => {
    const ls = leaves.slice(0, t.size)
    const root = mth(ls)
    const proofs = t.proofs.map((committed) => {
      const i = committed.leafIndex
      const p = committed.path.map(bytes)
      let tamperedTried = 0
      let tamperedAccepted = 0
      const tampered = (ok) => { tamperedTried++; if (ok) tamperedAccepted++ }
      for (let j = 0; j < p.length; j++) {
        const q = p.map((h) => [...h])
        q[j][j % 32] ^= 0x01
        tampered(verifies(ls[i], i, t.size, q, root))
        tampered(verifies(ls[i], i, t.size, p.filter((_, x) => x !== j), root))
      }
      for (let other = 0; other < t.size; other++) {
        if (other !== i) {
          tampered(verifies(ls[i], other, t.size, p, root))
          tampered(verifies(ls[other], i, t.size, p, root))
        }
      }
      tampered(verifies(ls[i], i, t.size, [...p, root], root))
      tampered(verifies(Hash.sha256([0x00, ...ls[i]]), i, t.size, p, root))
      return {
        leafIndex: i,
        path: path(i, ls).map(hex),
        committedVerifies: verifies(ls[i], i, t.size, p, bytes(t.root)),
        tamperedTried,
        tamperedAccepted
      }
    })
    return { size: t.size, root: hex(root), proofs }
  })
  const anchors = v.anchors.map((a) => {
    const parsed = parseScript(a.script)
    return { ...parsed.anchor, rootMatchesTree: hex(mth(leaves.slice(0, a.treeSize))) === a.root, script: parsed }
  })
  return { records, trees, anchors }
}

// ---- the anchor output, read with the SDK's script parser ----
function parseScript (scriptHex) {
  const script = Script.fromHex(scriptHex)
  const out = {
    opFalse: script.chunks[0]?.op === OP.OP_FALSE && script.chunks[0]?.data === undefined,
    // the SDK keeps everything after a top-level OP_RETURN as that chunk's data; parse it as a script of its own
    opReturn: script.chunks.length === 2 && script.chunks[1].op === OP.OP_RETURN,
    reserializedEqual: new Script(script.chunks).toHex() === scriptHex.toLowerCase(),
    pushes: [],
    allPushes: false
  }
  if (out.opReturn) {
    const data = Script.fromBinary(script.chunks[1].data ?? [])
    out.allPushes = data.chunks.length > 0 && data.isPushOnly() &&
      data.chunks.every((c) => c.op <= OP.OP_PUSHDATA4 && c.invalidLength !== true)
    out.pushes = data.chunks.map((c) => hex(c.data ?? []))
  }
  const p = out.pushes.map(bytes)
  if (out.allPushes && p.length === 6 && Utils.toUTF8(p[0]) === 'raregen' && Utils.toUTF8(p[1]) === 'anchor') {
    const size = p[4].length === 4 ? ((p[4][0] << 24) | (p[4][1] << 16) | (p[4][2] << 8) | p[4][3]) >>> 0 : null
    out.anchor = { version: Utils.toUTF8(p[2]), batchId: Utils.toUTF8(p[3]), treeSize: size, root: hex(p[5]) }
  }
  return out
}

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const result = {}
if (input.vectorsFile) result.vectors = checkVectors(JSON.parse(readFileSync(input.vectorsFile, 'utf8')))
result.random = (input.random ?? []).map((r) => {
  const ls = r.digests.map((d) => leaf(bytes(d)))
  return { name: r.name, root: hex(mth(ls)), paths: ls.map((_, i) => path(i, ls).map(hex)) }
})
result.transactions = (input.transactions ?? []).map((t) => {
  const tx = Transaction.fromHex(t.rawHex)
  return {
    name: t.name,
    txid: tx.id('hex'),
    outputs: tx.outputs.map((o) => ({ satoshis: o.satoshis, script: parseScript(o.lockingScript.toHex()) }))
  }
})
process.stdout.write(JSON.stringify(result) + '\n')
