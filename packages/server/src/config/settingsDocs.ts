/**
 * The two renderings of {@link SETTINGS}: the README's configuration table and the text of
 * `ponte-server --help`.
 * @packageDocumentation
 */
import { defaultText, SETTINGS } from './settings.js';

/** The README lines between which {@link settingsMarkdown} goes (`npm run docs:config` writes it). */
export const README_MARKERS = {
  begin: '<!-- config table: generated from packages/server/src/config/settings.ts by `npm run docs:config` -->',
  end: '<!-- end of config table -->',
} as const;

/** The variables as a Markdown table: variable, default, meaning. */
export function settingsMarkdown(): string {
  const rows = SETTINGS.map((setting) => `| \`${setting.env}\` | ${defaultText(setting)} | ${setting.description} |`);
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the {@link README_MARKERS} replaced by {@link settingsMarkdown}. */
export function withSettingsTable(readme: string): string {
  const begin = readme.indexOf(README_MARKERS.begin);
  const end = readme.indexOf(README_MARKERS.end);
  if (begin < 0 || end < begin) throw new Error('the README has no config table markers');
  return `${readme.slice(0, begin + README_MARKERS.begin.length)}\n${settingsMarkdown()}\n${readme.slice(end)}`;
}

function plain(markdown: string): string {
  return markdown.replaceAll('`', '');
}

/** Breaks `text` into lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** What `ponte-server --help` prints: usage, then each variable with its default and meaning. */
export function settingsHelp(): string {
  const out = [
    'Usage: ponte-server [--help]',
    '',
    'Runs the Ponte signaling server. It is configured by these environment variables',
    '(empty counts as unset). SIGTERM drains it: clients are told to reconnect elsewhere',
    '(close code 1012) and their places are held for them; it exits 0 once they are gone,',
    'or after PONTE_DRAIN_TIMEOUT_MS. SIGINT closes it at once (1001), also holding places.',
    '',
  ];
  for (const setting of SETTINGS) {
    out.push(`  ${setting.env}  (default: ${plain(defaultText(setting))})`);
    for (const line of wrap(plain(setting.description), 72)) out.push(`      ${line}`);
  }
  return `${out.join('\n')}\n`;
}
