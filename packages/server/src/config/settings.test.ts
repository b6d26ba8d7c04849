import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEB_ROOT, defaultText, SETTINGS } from './settings.js';
import { README_MARKERS, settingsHelp, settingsMarkdown, withSettingsTable } from './settingsDocs.js';

const root = new URL('../../../../', import.meta.url);

describe('the table of settings', () => {
  it('names each variable once', () => {
    const names = SETTINGS.map((setting) => setting.env);
    expect(new Set(names).size).toBe(names.length);
  });

  it("serves this checkout's built web app by default", () => {
    expect(DEFAULT_WEB_ROOT).toBe(fileURLToPath(new URL('apps/web/dist', root)));
  });

  it('is what the README lists, with the same defaults (npm run docs:config writes it)', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme.slice(readme.indexOf(README_MARKERS.begin), readme.indexOf(README_MARKERS.end));
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map(([, name, shown]) => [name, shown!.trim()]);
    expect(rows).toEqual(SETTINGS.map((setting) => [setting.env, defaultText(setting)]));
    expect(withSettingsTable(readme), 'the README is stale: run npm run docs:config').toBe(readme);
    expect(section).toContain(settingsMarkdown());
  });

  it.each(['--help', '-h'])('is printed by main.ts %s, which exits 0 without starting', async (flag) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts', flag], {
      cwd: root,
      env: { ...process.env, PORT: 'not a port' },
    });
    expect(stdout).toBe(settingsHelp());
    for (const setting of SETTINGS) {
      expect(stdout).toContain(`  ${setting.env}  (default: ${defaultText(setting).replaceAll('`', '')})`);
    }
  });
});
