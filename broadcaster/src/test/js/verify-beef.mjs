// Verifies receipt BEEF documents with the official BSV TypeScript SDK, which shares no code with ours.
// Usage: node verify-beef.mjs <input.json>   (written by the cli module's receipt tests)
// Input:  { "cases": [ { "name", "beefHex", "headerHex", "blockHeight" } ] }
//         headerHex is the 80-byte block header the test trusts (from the local chain's own /admin/blocks answer):
//         the chain tracker accepts a merkle root only if it is that header's root at that height.
// Output (stdout): { "sdkVersion", "results": [ { "name", "valid", "txid", "error" } ] }
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Transaction, Utils } from '@bsv/sdk'

const here = dirname(fileURLToPath(import.meta.url))
const sdkVersion = JSON.parse(readFileSync(join(here, 'node_modules', '@bsv', 'sdk', 'package.json'), 'utf8')).version
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))

// the merkle root of an 80-byte header: bytes 36..68, reversed into display hex
function rootOf (headerHex) {
  const bytes = Utils.toArray(headerHex, 'hex')
  if (bytes.length !== 80) throw new Error('a block header is 80 bytes')
  return Utils.toHex(bytes.slice(36, 68).reverse())
}

const results = []
for (const c of input.cases) {
  try {
    const root = rootOf(c.headerHex)
    const chainTracker = {
      isValidRootForHeight: async (r, height) => r === root && height === c.blockHeight,
      currentHeight: async () => c.blockHeight
    }
    const tx = Transaction.fromBEEF(Utils.toArray(c.beefHex, 'hex'))
    const valid = await tx.verify(chainTracker)
    results.push({ name: c.name, valid: valid === true, txid: tx.id('hex'), error: null })
  } catch (e) {
    results.push({ name: c.name, valid: false, txid: null, error: String(e?.message ?? e) })
  }
}
process.stdout.write(JSON.stringify({ sdkVersion, results }))
