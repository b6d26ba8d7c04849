import { describe, expect, it } from 'vitest';
import { DISPLAY_NAME_RULES, replaceHiddenCharacters } from './textRules.js';

describe('replaceHiddenCharacters', () => {
  it('replaces exactly the characters a display name must not hold', () => {
    const refused = (char: string) => DISPLAY_NAME_RULES.some((rule) => !rule.pattern.test(char));
    let replaced = 0;
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue; // lone surrogates are no characters
      const char = String.fromCharCode(code);
      const hidden = replaceHiddenCharacters(char, '_') === '_' && char !== '_';
      expect(hidden, `U+${code.toString(16).padStart(4, '0')}`).toBe(refused(char));
      if (hidden) replaced += 1;
    }
    expect(replaced).toBe(32 + 33 + 5 + 5 + 10 + 1);
  });

  it('keeps everything else, and replaces every occurrence', () => {
    expect(replaceHiddenCharacters('invoice\u202egpj.exe\u200b', '_')).toBe('invoice_gpj.exe_');
    expect(replaceHiddenCharacters('Zoë 日本 🙂', '_')).toBe('Zoë 日本 🙂');
  });
});
