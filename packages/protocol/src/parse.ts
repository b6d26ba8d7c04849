import type { z } from 'zod';
import { ClientFrameSchema, ServerFrameSchema, type ClientFrame, type ServerFrame } from './frames.js';

/** The outcome of parsing one frame: the typed frame, or why it was refused. */
export type ParseResult<T> =
  | { ok: true; frame: T }
  | { ok: false; message: string; /** the frame's `type`, when one could be read */ ref?: string };

/**
 * Parses `text` as JSON and validates it with `schema`; never throws. A refusal names the
 * first issue and where it is. Shared by every JSON protocol of Ponte: the signaling frames
 * here, and the peer-to-peer data frames of `@ponte/client`.
 */
export function parseFrame<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, frame: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  const message = `invalid frame${where}: ${issue?.message ?? 'does not match the protocol'}`;
  const ref =
    typeof json === 'object' && json !== null && typeof (json as { type?: unknown }).type === 'string'
      ? (json as { type: string }).type.slice(0, 32)
      : undefined;
  return ref === undefined ? { ok: false, message } : { ok: false, message, ref };
}

/** Parses and validates a frame sent by a client (what the server receives). */
export function parseClientFrame(text: string): ParseResult<ClientFrame> {
  return parseFrame(ClientFrameSchema, text);
}

/** Parses and validates a frame sent by the server (what the client receives). */
export function parseServerFrame(text: string): ParseResult<ServerFrame> {
  return parseFrame(ServerFrameSchema, text);
}
