// Bundles the web app with esbuild into target/dist (static files, deployable as they are) and
// copies them to target/classes/public (served by the functions app from its classpath).
// Prints the gzipped size and fails when it passes the budget.
import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET_GZIP_BYTES = 200 * 1024;
const dist = 'target/dist';
const classes = 'target/classes/public';

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await esbuild.build({
  entryPoints: { app: 'src/app.js' },
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['chrome111', 'firefox115', 'safari16'],
  outdir: dist,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const f of ['index.html', 'lion.svg']) cpSync(join('src', f), join(dist, f));

let raw = 0;
let gz = 0;
const lines = [];
for (const f of readdirSync(dist).sort()) {
  const b = readFileSync(join(dist, f));
  const z = gzipSync(b, { level: 9 }).length;
  raw += statSync(join(dist, f)).size;
  gz += z;
  lines.push(`  ${f.padEnd(12)} ${(b.length / 1024).toFixed(1).padStart(7)} KB  ${(z / 1024).toFixed(1).padStart(6)} KB gzipped`);
}
console.log(`[web] bundle: ${(gz / 1024).toFixed(1)} KB gzipped (${(raw / 1024).toFixed(1)} KB raw), budget ${BUDGET_GZIP_BYTES / 1024} KB\n${lines.join('\n')}`);
if (gz > BUDGET_GZIP_BYTES) {
  console.error(`[web] the bundle is over its budget of ${BUDGET_GZIP_BYTES / 1024} KB gzipped`);
  process.exit(1);
}
rmSync(classes, { recursive: true, force: true });
mkdirSync(classes, { recursive: true });
cpSync(dist, classes, { recursive: true });
