import type { Env } from './envValues.js';
import type { ServerOptions } from './options.js';
import { settingsFromEnv } from './settingsFromEnv.js';

/** The options {@link connectivityFromEnv} may set. */
export type ConnectivityOptions = Pick<ServerOptions, 'secret' | 'resumeTokenTtlSeconds' | 'reconnectGraceMs' | 'turn' | 'relayOnlyRooms'>;

/**
 * Reads resume, TURN and relay settings from the environment (the `connectivity` rows of
 * `SETTINGS`); only variables that are set appear in the result. Throws an Error naming the
 * variable when one is invalid.
 */
export function connectivityFromEnv(env: Env): ConnectivityOptions {
  const options = settingsFromEnv<ConnectivityOptions>(env, 'connectivity');
  const turn: Partial<NonNullable<ConnectivityOptions['turn']>> | undefined = options.turn;
  if (turn !== undefined) {
    if ((turn.urls === undefined) !== (turn.secret === undefined)) {
      throw new Error('PONTE_TURN_URLS and PONTE_TURN_SECRET must be set together');
    }
    // A credential lifetime means nothing without a TURN server.
    if (turn.urls === undefined) delete options.turn;
  }
  return options;
}
