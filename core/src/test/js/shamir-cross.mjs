// The JavaScript side of ShamirCrossCheckTest: runs the audited `shamir-secret-sharing` package and
// the web app's web/src/lib/backup.js on the requests the Java test writes, and prints what they produce.
// Usage: node shamir-cross.mjs <input.json>    Output (stdout): one JSON document, same sections as the input.
//   vectors:   [{name, secretHex, total, threshold, randomHex, splitIdHex, fingerprintHex}] -> {name, sharesHex, texts}
//              (split driven by the given random bytes instead of the CSPRNG)
//   combine:   [{name, sharesHex}]               -> {name, secretHex}
//   recover:   [{name, texts}]                   -> {name, privateKeyHex} or {name, error}
//   splitKeys: [{name, privateKeyHex, threshold, total}] -> {name, texts}   (real randomness)
//   seal:      [{name, text, passphrase, pubkeyHex, iterations}] -> {name, sealed}
//   open:      [{name, sealed, passphrase, pubkeyHex}] -> {name, text} or {name, error}
import crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { PrivateKey } from '@bsv/sdk'
import { split, combine } from 'shamir-secret-sharing'
import { register } from 'node:module'

// web/src/lib/backup.js is the one JavaScript implementation; web-deps.mjs lets it find its package here
register('./web-deps.mjs', import.meta.url)
const { encodeShare, recoverKey, splitKey, sealShare, openShare } = await import('../../../../web/src/lib/backup.js')

const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16))
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const publicKeyOf = (sk) => Uint8Array.from(PrivateKey.fromHex(toHex(sk)).toPublicKey().encode(true))

// The package reads randomness through node:crypto's randomBytes (its csprng.node entry); replace it for one
// call so that a split is reproducible. The package wraps `.buffer`, so each result must own its ArrayBuffer.
async function withRandom (bytes, fn) {
  const original = crypto.randomBytes
  let offset = 0
  crypto.randomBytes = (n) => {
    if (offset + n > bytes.length) throw new Error(`the vector's random bytes ran out at ${offset} + ${n}`)
    const ab = new ArrayBuffer(n)
    new Uint8Array(ab).set(bytes.subarray(offset, offset + n))
    offset += n
    return Buffer.from(ab)
  }
  syncBuiltinESMExports()
  try {
    const result = await fn()
    if (offset !== bytes.length) throw new Error(`the split used ${offset} of the vector's ${bytes.length} random bytes`)
    return result
  } finally {
    crypto.randomBytes = original
    syncBuiltinESMExports()
  }
}

async function run (input) {
  const out = {}
  out.vectors = []
  for (const v of input.vectors ?? []) {
    const shares = await withRandom(fromHex(v.randomHex), () => split(fromHex(v.secretHex), v.total, v.threshold))
    const texts = shares.map((share, i) => encodeShare({
      splitId: fromHex(v.splitIdHex), index: i + 1, threshold: v.threshold, total: v.total, fingerprint: fromHex(v.fingerprintHex), share
    }))
    out.vectors.push({ name: v.name, sharesHex: shares.map(toHex), texts })
  }
  out.combine = []
  for (const c of input.combine ?? []) {
    out.combine.push({ name: c.name, secretHex: toHex(await combine(c.sharesHex.map(fromHex))) })
  }
  out.recover = []
  for (const r of input.recover ?? []) {
    try {
      out.recover.push({ name: r.name, privateKeyHex: toHex(await recoverKey(r.texts, publicKeyOf)) })
    } catch (e) {
      out.recover.push({ name: r.name, error: e.code ?? String(e) })
    }
  }
  out.splitKeys = []
  for (const s of input.splitKeys ?? []) {
    const sk = fromHex(s.privateKeyHex)
    out.splitKeys.push({ name: s.name, texts: await splitKey(sk, publicKeyOf(sk), { threshold: s.threshold, total: s.total }) })
  }
  out.seal = []
  for (const s of input.seal ?? []) {
    out.seal.push({ name: s.name, sealed: await sealShare(s.text, s.passphrase, s.pubkeyHex, s.iterations) })
  }
  out.open = []
  for (const o of input.open ?? []) {
    try {
      out.open.push({ name: o.name, text: await openShare(o.sealed, o.passphrase, o.pubkeyHex) })
    } catch (e) {
      out.open.push({ name: o.name, error: e.code ?? String(e) })
    }
  }
  return out
}

process.stdout.write(JSON.stringify(await run(JSON.parse(readFileSync(process.argv[2], 'utf8')))))
