// `npm ci` unless node_modules already holds exactly what package-lock.json pins: repeated
// builds stay offline, and a build never deletes node_modules under a parallel one.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')).packages ?? {} : null);
const pinned = read(join(here, 'package-lock.json'));
delete pinned[''];
const installed = read(join(here, 'node_modules', '.package-lock.json'));
// optional packages for other platforms (esbuild's binaries) are pinned but never installed here
const matches = (k) => installed[k] && pinned[k] && pinned[k].version === installed[k].version && pinned[k].integrity === installed[k].integrity;
const same = installed !== null
  && Object.keys(pinned).every((k) => pinned[k].optional || matches(k))
  && Object.keys(installed).every(matches);
if (!same) {
  console.log('[web] npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}
