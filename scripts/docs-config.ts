/**
 * `npm run docs:config`: writes the README's configuration table from the server's table of
 * settings (packages/server/src/config/settings.ts). A test fails while the README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTable } from '../packages/server/src/config/settingsDocs.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withSettingsTable(before);
if (after === before) console.log('README.md: the configuration table is up to date');
else {
  writeFileSync(path, after);
  console.log('README.md: configuration table written');
}
