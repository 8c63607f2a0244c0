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
const same = installed !== null
  && JSON.stringify(Object.keys(pinned).sort()) === JSON.stringify(Object.keys(installed).sort())
  && Object.keys(pinned).every((k) => pinned[k].version === installed[k].version && pinned[k].integrity === installed[k].integrity);
if (!same) {
  console.log('[web] npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}
