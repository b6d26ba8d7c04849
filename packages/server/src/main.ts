#!/usr/bin/env node
/**
 * Runs the Ponte signaling server from environment variables (see `configFromEnv`): on the
 * rooms of `REDIS_URL` when it is set (through `@ponte/redis`, exiting 1 when Redis cannot be
 * reached), else in memory; with the SFU of `PONTE_JANUS_URL` when it is set (through
 * `@ponte/janus`, exiting 1 when Janus cannot be reached). `SIGTERM` drains it (clients are told to reconnect elsewhere and
 * their peers held, for at most `PONTE_DRAIN_TIMEOUT_MS`), then closes it and exits 0;
 * `SIGINT` closes it at once; a second signal exits 1 at once. The only module that reads
 * `process.env`. `--help` (`-h`) prints the variables, their defaults and meanings.
 * @packageDocumentation
 */
import { configFromEnv, type ServerConfig } from './config/config.js';
import { SERVER_DEFAULTS } from './config/options.js';
import { settingsHelp } from './config/settingsDocs.js';
import { createServer, type PonteServer } from './createServer.js';
import { openRoomAdapter } from './openRoomAdapter.js';
import { openSfuBridge } from './openSfuBridge.js';
import type { SfuBridge } from './media/SfuBridge.js';
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

let sfu: SfuBridge | undefined;
try {
  // configFromEnv refuses PONTE_JANUS_URL without PONTE_SECRET.
  sfu = await openSfuBridge(config.sfu, config.server.secret ?? '', config.rooms.nodeId);
} catch (error) {
  process.stderr.write(`ponte-server: ${(error as Error).message}\n`);
  await adapter.close();
  process.exit(1);
}

let server: PonteServer;
try {
  server = createServer({ ...config.server, adapter, ...(sfu === undefined ? {} : { sfu }) });
} catch (error) {
  process.stderr.write(`ponte-server: invalid configuration: ${(error as Error).message}\n`);
  process.exit(1);
}
try {
  const { url } = await server.listen(config.port, config.host);
  const { kind, node } = adapter.status();
  server.app.log.info(
    { url, webRoot: config.server.webRoot, rooms: kind, node, sfu: sfu === undefined ? 'none' : 'janus' },
    'ponte server listening',
  );
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
