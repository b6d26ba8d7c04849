/**
 * Small hand-written checks of parsed JSON values, with the semantics of the zod checks the
 * protocol uses (`z.string().min().max().regex()`, `z.number().int()`, `z.strictObject`,
 * `z.discriminatedUnion`...). They exist so that a fresh page can validate server frames
 * without zod: the first zod parse in a page costs 10-16 ms, mostly V8 compiling zod's
 * functions on first use (docs/benchmarks.md, "Why Ponte is slower"); these are a handful of
 * small functions. The server checks client frames with them too: on its hot path (a relayed
 * signal) they cost a fraction of what zod's parse does, and they keep zod (about 450 KB) out
 * of the browser SDK's bundle. `serverFrameCheck.ts`, `clientFrameCheck.ts` and
 * `dataFrameCheck.ts` build the frames from them (the shared fields in `fieldChecks.ts`), and
 * their tests prove them equal to the zod schemas. Internal: not exported from the package.
 */

/** Why a value was refused, and where (keys from the frame's root, filled in on the way out). */
export class Refusal {
  readonly path: (string | number)[] = [];
  constructor(readonly message: string) {}
}

/**
 * Returns the checked value or a {@link Refusal}. An object or array comes back as it came
 * unless a check changed something inside it (a folded name): then as a shallow copy with the
 * change, so the common case (a relayed signal) copies nothing.
 */
export type Check<T> = (value: unknown) => T | Refusal;

/** A {@link Check} that also accepts a missing key (the `.optional()` of zod). */
export type OptionalCheck<T> = Check<T | undefined> & { readonly optional: true };

/** What a check yields when it accepts. */
export type Checked<C> = C extends Check<infer T> ? T : never;

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const expected = (what: string, value: unknown): Refusal => new Refusal(`expected ${what}, received ${typeName(value)}`);

/** Options of {@link text}; the `rules` are tested after the lengths. */
export interface TextRules {
  min?: number;
  max?: number;
  rules?: readonly { pattern: RegExp; message: string }[];
}

/** Tests a string's length (UTF-16 units, as zod) and patterns; returns it, or why not. */
export function textRefusal(value: string, { min = 0, max = Infinity, rules = [] }: TextRules): Refusal | null {
  if (value.length < min) return new Refusal(min === 1 ? 'must not be empty' : `too short: at least ${min} characters`);
  if (value.length > max) return new Refusal(`too long: at most ${max} characters`);
  for (const { pattern, message } of rules) if (!pattern.test(value)) return new Refusal(message);
  return null;
}

/** A string (`z.string()` with `.min`, `.max` and `.regex`). */
export function text(rules: TextRules = {}): Check<string> {
  return (value) => {
    if (typeof value !== 'string') return expected('string', value);
    return textRefusal(value, rules) ?? value;
  };
}

/** A safe integer from `min` to `max` (`z.number().int().min().max()`; zod 4's `int` is a safe integer). */
export function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return expected('integer', value);
    if (value < min) return new Refusal(`too small: at least ${min}`);
    return value <= max ? value : new Refusal(`too big: at most ${max}`);
  };
}

/** A boolean. */
export const flag: Check<boolean> = (value) => (typeof value === 'boolean' ? value : expected('boolean', value));

/** One of `values` (`z.literal` / `z.enum`). */
export function oneOf<const T extends string | number>(values: readonly T[]): Check<T> {
  return (value) => (values.includes(value as T) ? (value as T) : new Refusal(`expected one of ${values.join(' | ')}`));
}

/** `check`, or null (`.nullable()`). */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value) => (value === null ? null : check(value));
}

/** `check`, or a missing key (`.optional()`). */
export function optional<T>(check: Check<T>): OptionalCheck<T> {
  return Object.assign((value: unknown) => (value === undefined ? undefined : check(value)), { optional: true as const });
}

/** `first`, or else `second` (`z.union` of two; the refusal is the second's). */
export function anyOf<A, B>(first: Check<A>, second: Check<B>): Check<A | B> {
  return (value) => {
    const result = first(value);
    return result instanceof Refusal ? second(value) : result;
  };
}

/** `check`, then `test` on what it accepted, refused with `message` (`.refine`). */
export function refined<T>(check: Check<T>, test: (value: T) => boolean, message: string): Check<T> {
  return (value) => {
    const result = check(value);
    return result instanceof Refusal || test(result) ? result : new Refusal(message);
  };
}

/** Prefixes the path of `refusal` with `key`. */
function at(refusal: Refusal, key: string | number): Refusal {
  refusal.path.unshift(key);
  return refusal;
}

/** An array of `item`s, `min` to `max` of them (`z.array(item).min().max()`). */
export function list<T>(item: Check<T>, min = 0, max = Infinity): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) return expected('array', value);
    if (value.length < min) return new Refusal(`too short: at least ${min} items`);
    if (value.length > max) return new Refusal(`too long: at most ${max} items`);
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const result = item(value[index]);
      if (result instanceof Refusal) return at(result, index);
      if (result !== value[index]) (copy ??= value.slice())[index] = result;
    }
    return (copy ?? value) as T[];
  };
}

/** The keys of a shape, with optional ones (made by {@link optional}) allowed to be missing. */
export type Shape = Record<string, Check<unknown>>;

/** The object a shape checks: optional checks make optional keys. */
export type ShapeOf<S extends Shape> = {
  [K in keyof S as S[K] extends { optional: true } ? never : K]: Checked<S[K]>;
} & {
  [K in keyof S as S[K] extends { optional: true } ? K : never]?: Exclude<Checked<S[K]>, undefined>;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with exactly the keys of `shape` (`z.strictObject`). */
export function strict<S extends Shape>(shape: S): Check<ShapeOf<S>> {
  return shaped(shape, false);
}

/**
 * An object with the keys of `shape`, any other key dropped (`z.object`): a frame from a newer
 * peer may carry fields this version does not know. The result holds only the shape's keys, so
 * nothing past the parser sees the others; it is a copy only when there were others.
 */
export function loose<S extends Shape>(shape: S): Check<ShapeOf<S>> {
  return shaped(shape, true);
}

function shaped<S extends Shape>(shape: S, dropUnknown: boolean): Check<ShapeOf<S>> {
  // Arrays, not lookups in `shape` by key: this runs on every frame the server relays.
  const keys = Object.keys(shape);
  const checks = Object.values(shape);
  return (value) => {
    if (!isRecord(value)) return expected('object', value);
    let present = 0;
    let copy: Record<string, unknown> | undefined;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const field = value[key];
      const result = (checks[index] as Check<unknown>)(field);
      if (result instanceof Refusal) return at(result, key);
      if (field !== undefined || Object.hasOwn(value, key)) present++;
      if (result !== field) (copy ??= { ...value })[key] = result;
    }
    // As many own keys as the shape's that are present: none is unrecognized.
    const own = Object.keys(value);
    if (own.length === present) return (copy ?? value) as ShapeOf<S>;
    if (!dropUnknown) {
      for (const key of own) if (!Object.hasOwn(shape, key)) return new Refusal(`unrecognized key: "${key}"`);
    }
    const checked = copy ?? value;
    const known: Record<string, unknown> = {};
    for (const key of keys) if (Object.hasOwn(checked, key)) known[key] = checked[key];
    return known as ShapeOf<S>;
  };
}

/**
 * A key that must not be there (`z.never().optional()`): one that a frame of the other side
 * carries and this one must not, like a client's `from`, refused even where unknown keys are
 * dropped.
 */
export function absent(message: string): OptionalCheck<never> {
  return optional((): Refusal => new Refusal(message));
}

/** One of several objects, told apart by the string at `key` (`z.discriminatedUnion`). */
export function byKey<M extends Record<string, Check<unknown>>>(key: string, checks: M): Check<Checked<M[keyof M]>> {
  const names = Object.keys(checks);
  // A Map: own tags only (not `toString`), and one lookup.
  const byTag = new Map(Object.entries(checks) as [string, Check<Checked<M[keyof M]>>][]);
  return (value) => {
    if (!isRecord(value)) return expected('object', value);
    const tag = value[key];
    const check = typeof tag === 'string' ? byTag.get(tag) : undefined;
    return check === undefined ? at(new Refusal(`expected one of ${names.join(' | ')}`), key) : check(value);
  };
}
