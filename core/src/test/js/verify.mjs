// Independent check of transactions built by raregen-core, with the official BSV TypeScript SDK.
// Usage: node verify.mjs <input.json>   (input written by CrossCheckWithBsvSdkTest)
// Input:  { "flags": "...", "transactions": [ { "name", "rawHex", "efHex"?, "prevouts": [ { "satoshis", "lockingScriptHex" } ] } ] }
// Output (stdout, one JSON document): { "sdkVersion", "results": [ { "name", "parsed", "reserializedEqual", "txid",
//   "efParsed", "efReserializedEqual", "inputs": [ { "valid", "error" } ], "valid", "error" } ] }
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Transaction, LockingScript, UnlockingScript, Spend } from '@bsv/sdk'

// the package's "exports" hide package.json, so read it from disk
const here = dirname(fileURLToPath(import.meta.url))
const sdkVersion = JSON.parse(readFileSync(join(here, 'node_modules', '@bsv', 'sdk', 'package.json'), 'utf8')).version

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))
// Without explicit flags the SDK's interpreter accepts signatures with no FORKID bit (docs/ARCHITECTURE.md#glossary).
const flags = input.flags

function checkInput (tx, i, prevout) {
  const otherInputs = tx.inputs.filter((_, j) => j !== i)
  const input = tx.inputs[i]
  try {
    const spend = new Spend({
      sourceTXID: input.sourceTXID,
      sourceOutputIndex: input.sourceOutputIndex,
      sourceSatoshis: prevout.satoshis,
      lockingScript: LockingScript.fromHex(prevout.lockingScriptHex),
      transactionVersion: tx.version,
      otherInputs,
      outputs: tx.outputs,
      unlockingScript: input.unlockingScript,
      inputSequence: input.sequence ?? 0xffffffff,
      inputIndex: i,
      lockTime: tx.lockTime,
      verifyFlags: flags
    })
    const ok = spend.validate()
    return { valid: ok === true, error: ok === true ? null : 'validate() returned false' }
  } catch (e) {
    return { valid: false, error: String(e?.message ?? e) }
  }
}

// @bsv/sdk 2.x keeps the bytes it parsed and hands them back from toHex() and id(), so comparing tx.toHex() with
// the input proves nothing (a truncated transaction "re-serialises" equal). Rebuild the transaction and its scripts
// from the parsed fields only and serialise that.
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
  const r = { name: t.name, parsed: false, reserializedEqual: false, txid: null, efParsed: null, efReserializedEqual: null, inputs: [], valid: false, error: null }
  try {
    const tx = Transaction.fromHex(t.rawHex)
    r.parsed = true
    // fromHex accepts truncated hex silently: only a byte-equal re-serialisation of a transaction rebuilt from
    // the parsed fields proves the parse was complete; the txid is computed from those rebuilt bytes too
    const fresh = rebuilt(tx)
    r.reserializedEqual = fresh.toHex() === t.rawHex.toLowerCase()
    r.txid = fresh.id('hex')
    if (t.efHex) {
      try {
        const ef = Transaction.fromHexEF(t.efHex)
        r.efParsed = ef.id('hex') === r.txid
        r.efReserializedEqual = ef.toHexEF() === t.efHex.toLowerCase()
      } catch (e) {
        r.efParsed = false
        r.error = 'EF: ' + String(e?.message ?? e)
      }
    }
    if (t.prevouts.length !== tx.inputs.length) throw new Error('need one prevout per input')
    r.inputs = tx.inputs.map((_, i) => checkInput(tx, i, t.prevouts[i]))
    r.valid = r.reserializedEqual && r.inputs.every(x => x.valid)
  } catch (e) {
    r.error = String(e?.message ?? e)
  }
  results.push(r)
}
process.stdout.write(JSON.stringify({ sdkVersion, flags, results }) + '\n')
