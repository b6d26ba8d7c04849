import type { EncodedFrame } from '@ponte/server';

const NEWLINE = 0x0a;

/**
 * A frame as Redis keeps it in a replay log, and as it travels on a node's channel after the
 * peer id and the log index: `<type>\n<bytes>`. Built here, once per frame, so the scripts
 * pass it on without copying kilobytes into new strings.
 */
export function writeLogEntry(frame: EncodedFrame): Buffer {
  return Buffer.concat([Buffer.from(`${frame.type}\n`, 'latin1'), frame.bytes]);
}

/** A log entry (from `offset` on) as a frame; undefined when it has no type line. */
export function readLogEntry(entry: Buffer, offset = 0): EncodedFrame | undefined {
  const newline = entry.indexOf(NEWLINE, offset);
  if (newline < 0) return undefined;
  return { type: entry.toString('latin1', offset, newline) as EncodedFrame['type'], bytes: entry.subarray(newline + 1) };
}
