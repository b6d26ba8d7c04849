#!/usr/bin/env node
/**
 * Runs the Ponte signaling server from environment variables (see `configFromEnv`) and
 * closes it cleanly on SIGINT/SIGTERM. The only module that reads `process.env`.
 * `--help` (`-h`) prints the variables, their defaults and meanings.
 * @packageDocumentation
 */
import { configFromEnv, type ServerConfig } from './config/config.js';
import { settingsHelp } from './config/settingsDocs.js';
import { createServer } from './createServer.js';

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

const server = createServer(config.server);
try {
  const { url } = await server.listen(config.port, config.host);
  server.app.log.info({ url, webRoot: config.server.webRoot }, 'ponte server listening');
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
  server.app.log.info({ signal }, 'shutting down');
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      server.app.log.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    },
  );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
