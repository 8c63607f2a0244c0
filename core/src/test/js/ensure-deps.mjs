// Runs `npm ci` only when node_modules does not match package-lock.json, so repeated builds stay offline and quiet.
// Called by exec-maven-plugin in core/pom.xml (phase generate-test-resources).
import { readFileSync, existsSync } from 'node:fs'
import { execSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

function packages (file) {
  if (!existsSync(file)) return null
  const lock = JSON.parse(readFileSync(file, 'utf8'))
  const out = {}
  for (const [path, meta] of Object.entries(lock.packages ?? {})) {
    if (path === '') continue
    out[path] = `${meta.version}|${meta.integrity ?? ''}`
  }
  return out
}

const wanted = packages(join(here, 'package-lock.json'))
const installed = packages(join(here, 'node_modules', '.package-lock.json'))
const upToDate = installed !== null &&
  Object.keys(wanted).length === Object.keys(installed).length &&
  Object.entries(wanted).every(([k, v]) => installed[k] === v)

if (upToDate) {
  process.exit(0)
}
console.log('[raregen-core] installing @bsv/sdk and shamir-secret-sharing for the cross-check tests: npm ci')
execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: here, stdio: 'inherit' })
