// Checks transactions the broadcaster published with the official BSV TypeScript SDK, which shares no code with ours.
// Usage: node check-published.mjs <input.json>   (written by PublishedTransactionsSdkCheckTest and the cli module's FullPipelineEndToEndTest)
// Input:  { "flags": "...", "transactions": [ { "name", "rawHex", "flags"?,
//            "prevouts": { "<txid>:<vout>": { "satoshis", "lockingScriptHex" } } } ] }   (one entry per input)
//         A transaction's own "flags" replace the top-level ones (used only by negative controls).
// Output (stdout, one JSON document): { "sdkVersion", "flags", "results": [ { "name", "parsed", "reserializedEqual",
//   "txid", "inputs": [ { "outpoint", "valid", "error" } ],
//   "outputs": [ { "satoshis", "opFalseReturn", "pushesHex": [ hex, ... ] | null } ], "valid", "error" } ] }
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Transaction, LockingScript, UnlockingScript, Script, Spend, OP, Utils } from '@bsv/sdk'

// the package's "exports" hide package.json, so read it from disk
const here = dirname(fileURLToPath(import.meta.url))
const sdkVersion = JSON.parse(readFileSync(join(here, 'node_modules', '@bsv', 'sdk', 'package.json'), 'utf8')).version

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))
// Without explicit flags the SDK's interpreter accepts signatures with no FORKID bit (docs/ARCHITECTURE.md#glossary), so they are required.
if (typeof input.flags !== 'string' || !input.flags.includes('SIGHASH_FORKID')) {
  throw new Error('flags must name SIGHASH_FORKID')
}

function checkInput (tx, i, prevouts, flags) {
  const inp = tx.inputs[i]
  const outpoint = `${inp.sourceTXID}:${inp.sourceOutputIndex}`
  const prevout = prevouts[outpoint]
  if (!prevout) return { outpoint, valid: false, error: 'no prevout given for this input' }
  try {
    const ok = new Spend({
      sourceTXID: inp.sourceTXID,
      sourceOutputIndex: inp.sourceOutputIndex,
      sourceSatoshis: prevout.satoshis,
      lockingScript: LockingScript.fromHex(prevout.lockingScriptHex),
      transactionVersion: tx.version,
      otherInputs: tx.inputs.filter((_, j) => j !== i),
      outputs: tx.outputs,
      unlockingScript: inp.unlockingScript,
      inputSequence: inp.sequence ?? 0xffffffff,
      inputIndex: i,
      lockTime: tx.lockTime,
      verifyFlags: flags
    }).validate()
    return { outpoint, valid: ok === true, error: ok === true ? null : 'validate() returned false' }
  } catch (e) {
    return { outpoint, valid: false, error: String(e?.message ?? e) }
  }
}

// The SDK's own parse of each output script, so the test can compare the record's pushes with the stored envelope.
// The SDK keeps everything after a top-level OP_RETURN as one opaque chunk, so that tail is parsed again as a script.
function describeOutput (out) {
  const chunks = out.lockingScript.chunks
  const opFalseReturn = chunks.length === 2 && chunks[0].op === OP.OP_FALSE && chunks[1].op === OP.OP_RETURN
  let pushesHex = null
  if (opFalseReturn && chunks[1].data) {
    const tail = Script.fromBinary(chunks[1].data).chunks
    pushesHex = tail.every(c => c.op <= OP.OP_PUSHDATA4) ? tail.map(c => Utils.toHex(c.data ?? [])) : null
  }
  return { satoshis: out.satoshis, opFalseReturn, pushesHex }
}

// @bsv/sdk 2.x keeps the bytes it parsed and hands them back from toHex() and id(), so comparing tx.toHex() with the
// input proves nothing (a truncated transaction "re-serialises" equal). Rebuild the transaction and its scripts from
// the parsed fields only, with no cache, and serialise that.
function rebuilt (tx) {
  return new Transaction(
    tx.version,
    tx.inputs.map(i => ({
      sourceTXID: i.sourceTXID,
      sourceOutputIndex: i.sourceOutputIndex,
      unlockingScript: new UnlockingScript(i.unlockingScript.chunks),
      sequence: i.sequence
    })),
    tx.outputs.map(o => ({ satoshis: o.satoshis, lockingScript: new LockingScript(o.lockingScript.chunks) })),
    tx.lockTime)
}

const results = []
for (const t of input.transactions) {
  const r = { name: t.name, flags: t.flags ?? input.flags, parsed: false, reserializedEqual: false, txid: null, inputs: [], outputs: [], valid: false, error: null }
  try {
    // fromHex accepts truncated hex silently: only a byte-equal re-serialisation proves the parse was complete
    const tx = rebuilt(Transaction.fromHex(t.rawHex))
    r.parsed = true
    r.reserializedEqual = tx.toHex() === t.rawHex.toLowerCase()
    r.txid = tx.id('hex')
    r.inputs = tx.inputs.map((_, i) => checkInput(tx, i, t.prevouts, t.flags ?? input.flags))
    r.outputs = tx.outputs.map(describeOutput)
    r.valid = r.reserializedEqual && r.inputs.length > 0 && r.inputs.every(x => x.valid)
  } catch (e) {
    r.error = String(e?.message ?? e)
  }
  results.push(r)
}
process.stdout.write(JSON.stringify({ sdkVersion, flags: input.flags, results }) + '\n')
