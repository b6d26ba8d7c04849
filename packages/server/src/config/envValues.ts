/**
 * Parsers of environment variable values. Each gets the trimmed, non-empty value and the
 * variable's name, and throws an Error naming the variable when the value is invalid.
 * @packageDocumentation
 */

/** The environment, as `process.env`. */
export type Env = Record<string, string | undefined>;

/** Turns the trimmed, non-empty text of variable `name` into a value, or throws naming it. */
export type Parser = (raw: string, name: string) => unknown;

/** The trimmed value of `name`, or undefined when unset or empty. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The text as it is. */
export const anyText: Parser = (raw) => raw;

/** An integer from `min` to `max`. */
export function integer(min: number, max: number): Parser {
  return (raw, name) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

/** `true`/`1`/`yes` or `false`/`0`/`no`. */
export const flag: Parser = (raw, name) => {
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
};

/** A comma-separated list (items trimmed, empty ones dropped). */
export const list: Parser = (raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** One of `choices`. */
export function oneOf(choices: readonly string[]): Parser {
  return (raw, name) => {
    if (!choices.includes(raw)) throw new Error(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    return raw;
  };
}

/** A secret of at least 16 characters. */
export const secret: Parser = (raw, name) => {
  if (raw.length < 16) throw new Error(`${name} must be at least 16 characters long`);
  return raw;
};
