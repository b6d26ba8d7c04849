import type { z } from 'zod';
import { checkClientFrame } from './clientFrameCheck.js';
import { checkFileEndFrame, checkPeerFrame } from './dataFrameCheck.js';
import type { FileEndFrame, PeerFrame } from './dataFrames.js';
import type { ClientFrame, ServerFrame } from './frames.js';
import { checkServerFrame } from './serverFrameCheck.js';
import { Refusal } from './valueChecks.js';

/** The outcome of parsing one frame: the typed frame, or why it was refused. */
export type ParseResult<T> = { ok: true; frame: T } | { ok: false; message: string; /** the frame's `type`, when one could be read */ ref?: string };

/** Parses `text` as JSON and validates it with `validate`, which returns the frame or the first issue. */
function parseWith<T>(text: string, validate: (json: unknown) => T | Refusal): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
  const result = validate(json);
  if (!(result instanceof Refusal)) return { ok: true, frame: result };
  const where = result.path.length > 0 ? ` at ${result.path.join('.')}` : '';
  const message = `invalid frame${where}: ${result.message}`;
  const ref =
    typeof json === 'object' && json !== null && typeof (json as { type?: unknown }).type === 'string'
      ? (json as { type: string }).type.slice(0, 32)
      : undefined;
  return ref === undefined ? { ok: false, message } : { ok: false, message, ref };
}

/**
 * Parses `text` as JSON and validates it with `schema`; never throws. A refusal names the
 * first issue and where it is. The hand-written parsers below give the same verdicts; this one
 * is what their tests hold them to.
 */
export function parseFrame<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  return parseWith(text, (json) => {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const refusal = new Refusal(issue?.message ?? 'does not match the protocol');
    refusal.path.push(...(issue?.path ?? []).map((key) => (typeof key === 'number' ? key : String(key))));
    return refusal;
  });
}

/**
 * Parses and validates a frame sent by a client (what the server receives). It accepts and
 * refuses exactly what `ClientFrameSchema` does, but with hand-written checks
 * (`clientFrameCheck.ts`) that cost the server's hot path a fraction of zod's parse.
 */
export function parseClientFrame(text: string): ParseResult<ClientFrame> {
  return parseWith(text, checkClientFrame);
}

/**
 * Parses and validates a frame sent by the server (what the client receives). It accepts and
 * refuses exactly what `ServerFrameSchema` does, but with hand-written checks
 * (`serverFrameCheck.ts`) that are cheap on a fresh page, where zod's first parse is not.
 */
export function parseServerFrame(text: string): ParseResult<ServerFrame> {
  return parseWith(text, checkServerFrame);
}

/**
 * Parses and validates a text frame of a peer's reliable message channel (a data frame another
 * peer sent). It accepts and refuses exactly what `PeerFrameSchema` does, with hand-written
 * checks (`dataFrameCheck.ts`), so that the browser SDK carries no zod.
 */
export function parsePeerFrame(text: string): ParseResult<PeerFrame> {
  return parseWith(text, checkPeerFrame);
}

/** Parses and validates the last frame of a file channel, exactly as `FileEndFrameSchema` would. */
export function parseFileEndFrame(text: string): ParseResult<FileEndFrame> {
  return parseWith(text, checkFileEndFrame);
}
