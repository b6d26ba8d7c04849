/** Readers of environment variables that throw an Error naming the variable when it is invalid. */

/** The environment, as `process.env`. */
export type Env = Record<string, string | undefined>;

/** The trimmed value of `name`, or undefined when unset or empty. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An integer from `min` to `max`, or undefined when unset. */
export function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** `true`/`1`/`yes` or `false`/`0`/`no`, or undefined when unset. */
export function flag(env: Env, name: string): boolean | undefined {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/** A comma-separated list (empty items dropped), or undefined when unset. */
export function list(env: Env, name: string): string[] | undefined {
  const raw = text(env, name);
  return raw === undefined ? undefined : raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
