import { text, type Env } from './envValues.js';
import { SETTINGS, type SettingGroup } from './settings.js';

/** A plain object of options as read from the environment, before any rule between variables. */
export type OptionValues = Record<string, unknown>;

/** Sets `path` (`a.b.c`) in `target`, making the objects on the way. */
function assign(target: OptionValues, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = target;
  for (const key of keys) at = (at[key] ??= {}) as OptionValues;
  at[last] = value;
}

/**
 * Reads the variables of `group` (see {@link SETTINGS}) into the options they set: those that
 * are set, plus the defaults the table marks `filled`. Throws an Error naming the first invalid
 * one. `T` is the caller's word for the shape the group's option paths make (the config tests
 * hold it to that).
 */
export function settingsFromEnv<T>(env: Env, group: SettingGroup): T {
  const options: OptionValues = {};
  for (const setting of SETTINGS) {
    if (setting.group !== group) continue;
    const raw = text(env, setting.env);
    const value = raw === undefined ? (setting.filled ? setting.default : undefined) : setting.parse(raw, setting.env);
    if (value !== undefined) assign(options, setting.option, value);
  }
  return options as T;
}
