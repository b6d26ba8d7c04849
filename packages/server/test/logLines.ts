import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A pino logger at `level` whose lines are collected in `lines`, for tests that read the logs. */
export function collectingLogger(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
