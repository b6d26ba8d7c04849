#!/usr/bin/env node
/**
 * Runs the Ponte signaling server from environment variables (see `configFromEnv`): on the
 * rooms of `REDIS_URL` when it is set (through `@ponte/redis`, exiting 1 when Redis cannot be
 * reached), else in memory. `SIGTERM` drains it (clients are told to reconnect elsewhere and
 * their peers held, for at most `PONTE_DRAIN_TIMEOUT_MS`), then closes it and exits 0;
 * `SIGINT` closes it at once; a second signal exits 1 at once. The only module that reads
 * `process.env`. `--help` (`-h`) prints the variables, their defaults and meanings.
 * @packageDocumentation
 */
import { configFromEnv, type ServerConfig } from './config/config.js';
import { SERVER_DEFAULTS } from './config/options.js';
import { settingsHelp } from './config/settingsDocs.js';
import { createServer } from './createServer.js';
import { openRoomAdapter } from './openRoomAdapter.js';
import type { RoomAdapter } from './rooms/RoomAdapter.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(settingsHelp());
  process.exit(0);
}

let config: ServerConfig;
try {
  config = configFromEnv(process.env);
} catch (error) {
  process.stderr.write(`ponte-server: invalid configuration: ${(error as Error).message}\n`);
  process.exit(1);
}

let adapter: RoomAdapter;
try {
  adapter = await openRoomAdapter(config.rooms, config.server.reconnectGraceMs ?? SERVER_DEFAULTS.reconnectGraceMs);
} catch (error) {
  process.stderr.write(`ponte-server: ${(error as Error).message}\n`);
  process.exit(1);
}

const server = createServer({ ...config.server, adapter });
try {
  const { url } = await server.listen(config.port, config.host);
  const { kind, node } = adapter.status();
  server.app.log.info({ url, webRoot: config.server.webRoot, rooms: kind, node }, 'ponte server listening');
} catch (error) {
  server.app.log.fatal({ err: error }, 'could not start');
  process.exit(1);
}

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second signal means "now".
    process.exit(1);
  }
  stopping = true;
  const drain = signal === 'SIGTERM';
  server.app.log.info({ signal }, drain ? 'draining, then shutting down' : 'shutting down');
  (drain ? server.drain() : Promise.resolve())
    .then(() => server.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
