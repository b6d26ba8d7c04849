import type { z } from 'zod';
import { ClientFrameSchema, ServerFrameSchema, type ClientFrame, type ServerFrame } from './frames.js';

/** The outcome of parsing one frame: the typed frame, or why it was refused. */
export type ParseResult<T> =
  | { ok: true; frame: T }
  | { ok: false; message: string; /** the frame's `type`, when one could be read */ ref?: string };

function parseWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
  const ref =
    typeof json === 'object' && json !== null && typeof (json as { type?: unknown }).type === 'string'
      ? (json as { type: string }).type.slice(0, 32)
      : undefined;
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, frame: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  const message = `invalid frame${where}: ${issue?.message ?? 'does not match the protocol'}`;
  return ref === undefined ? { ok: false, message } : { ok: false, message, ref };
}

/** Parses and validates a frame sent by a client (what the server receives). */
export function parseClientFrame(text: string): ParseResult<ClientFrame> {
  return parseWith(ClientFrameSchema, text);
}

/** Parses and validates a frame sent by the server (what the client receives). */
export function parseServerFrame(text: string): ParseResult<ServerFrame> {
  return parseWith(ServerFrameSchema, text);
}
