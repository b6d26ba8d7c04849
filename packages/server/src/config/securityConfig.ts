import type { Env } from './envValues.js';
import type { SecurityOptions } from './securityOptions.js';
import { settingsFromEnv } from './settingsFromEnv.js';

/**
 * Reads the {@link SecurityOptions} from the environment (the `security` rows of `SETTINGS`);
 * only variables that are set appear in the result. Throws an Error naming the variable when
 * one is invalid.
 */
export function securityFromEnv(env: Env): SecurityOptions {
  const options = settingsFromEnv<SecurityOptions>(env, 'security');
  if (options.requireToken === true && options.tokenSecret === undefined) {
    throw new Error('PONTE_REQUIRE_TOKEN=true needs PONTE_TOKEN_SECRET');
  }
  // `PONTE_RATE_LIMIT=0` turns the limit off, whatever the burst.
  if (options.rateLimit !== undefined && options.rateLimit !== false && options.rateLimit.framesPerSecond === 0) {
    options.rateLimit = false;
  }
  return options;
}
