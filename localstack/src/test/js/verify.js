'use strict'
// Independent check of the local chain with @bsv/sdk (pinned in package.json).
// Input (file given as argv[2]): {"transactions":[{"txid","rawTx","prevouts":[{"satoshis","lockingScript"}]}],
//                                 "proofs":[{"txid","merklePath","merkleRoot","blockHeight"}]}
// Output (stdout): {"transactions":[{"txid","valid","error"}],"proofs":[{"txid","root","blockHeight","matches","error"}]}
const fs = require('fs')
const { Transaction, Spend, LockingScript, UnlockingScript, MerklePath } = require('@bsv/sdk')

// Explicit flags: without them the interpreter accepts signatures without SIGHASH_FORKID (docs/ARCHITECTURE.md#glossary).
const FLAGS = ['SIGHASH_FORKID', 'STRICTENC', 'DERSIG', 'LOW_S', 'NULLDUMMY', 'SIGPUSHONLY', 'CLEANSTACK',
  'MINIMALDATA', 'UTXO_AFTER_GENESIS']

// @bsv/sdk 2.x hands back the bytes it parsed from toHex() and id(), so rebuild the transaction from its parsed
// fields before comparing: otherwise a truncated transaction would "re-serialise" equal.
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

function verifyTx (t) {
  const tx = Transaction.fromHex(t.rawTx)
  // fromHex accepts truncated hex silently: the rebuilt transaction must serialise to the same bytes
  const fresh = rebuilt(tx)
  if (fresh.toHex() !== t.rawTx.toLowerCase()) throw new Error('re-serialisation differs from the input')
  if (fresh.id('hex') !== t.txid) throw new Error('txid differs: ' + fresh.id('hex'))
  if (t.prevouts.length !== tx.inputs.length) throw new Error('prevouts do not match inputs')
  tx.inputs.forEach((input, i) => {
    const spend = new Spend({
      sourceTXID: input.sourceTXID,
      sourceOutputIndex: input.sourceOutputIndex,
      sourceSatoshis: t.prevouts[i].satoshis,
      lockingScript: LockingScript.fromHex(t.prevouts[i].lockingScript),
      transactionVersion: tx.version,
      otherInputs: tx.inputs.filter((_, j) => j !== i),
      outputs: tx.outputs,
      inputIndex: i,
      unlockingScript: input.unlockingScript,
      inputSequence: input.sequence ?? 0xffffffff,
      lockTime: tx.lockTime,
      verifyFlags: FLAGS
    })
    if (spend.validate() !== true) throw new Error('input ' + i + ' does not validate')
  })
}

function main () {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  const out = { sdkVersion: JSON.parse(fs.readFileSync(require('path').join(__dirname, 'node_modules', '@bsv', 'sdk', 'package.json'), 'utf8')).version, transactions: [], proofs: [] }
  for (const t of input.transactions || []) {
    try {
      verifyTx(t)
      out.transactions.push({ txid: t.txid, valid: true, error: null })
    } catch (e) {
      out.transactions.push({ txid: t.txid, valid: false, error: String(e && e.message ? e.message : e) })
    }
  }
  for (const p of input.proofs || []) {
    try {
      const mp = MerklePath.fromHex(p.merklePath)
      const root = mp.computeRoot(p.txid)
      out.proofs.push({ txid: p.txid, root, blockHeight: mp.blockHeight, matches: root === p.merkleRoot && mp.blockHeight === p.blockHeight, error: null })
    } catch (e) {
      out.proofs.push({ txid: p.txid, root: null, blockHeight: null, matches: false, error: String(e && e.message ? e.message : e) })
    }
  }
  process.stdout.write(JSON.stringify(out))
}

main()
