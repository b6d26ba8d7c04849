/**
 * One VideoRoom request over a janode handle, bounded by a timeout, with Janus's refusals
 * turned into {@link SfuError}s.
 * @module
 */
import type { Handle, JanusMessage } from 'janode';
import { SfuError } from '@ponte/server';
import type { SessionDescription } from '@ponte/protocol';

/** VideoRoom error codes the bridge acts on (janus_videoroom.c). */
export const VideoRoomCode = {
  noSuchRoom: 426,
  roomExists: 427,
  noSuchFeed: 428,
  idExists: 436,
} as const;

/** Janus refused a request: a `rejected` {@link SfuError} that keeps the VideoRoom error code. */
export class JanusRefusal extends SfuError {
  constructor(
    /** The VideoRoom error code, when the plugin (not the core) refused. */
    readonly code: number | undefined,
    message: string,
  ) {
    super('rejected', message);
  }
}

/** What a VideoRoom request answered: the plugin's data and, for negotiations, a JSEP. */
export interface VideoRoomReply {
  data: Record<string, unknown>;
  jsep?: SessionDescription;
}

/** Whether `error` is the VideoRoom refusal with `code`. */
export function isRefusal(error: unknown, code: number): boolean {
  return error instanceof JanusRefusal && error.code === code;
}

/** Resolves `promise`, or rejects with `SfuError('timeout')` after `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SfuError('timeout', `Janus did not answer ${what} within ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The error janode rejects with when the VideoRoom plugin refuses: the code is in `_code`. */
function pluginCode(error: Error): number | undefined {
  const code = (error as Error & { _code?: unknown })._code;
  return typeof code === 'number' ? code : undefined;
}

/** VideoRoom codes whose reasons may quote the SDP (logs never carry SDP bodies). */
const SDP_CODES = new Set([431, 437]);

/**
 * Turns a janode failure into an {@link SfuError}: timeouts stay, everything else is a refusal.
 * The message keeps Janus's reason only for VideoRoom refusals about rooms and feeds: the
 * core's reasons (and the plugin's SDP ones) can quote a line of the offer.
 */
export function toSfuError(error: unknown, what: string): SfuError {
  if (error instanceof SfuError) return error;
  const reason = error instanceof Error ? error : new Error(String(error));
  const code = pluginCode(reason);
  if (code !== undefined && !SDP_CODES.has(code)) return new JanusRefusal(code, `Janus refused ${what}: ${reason.message}`);
  // janode words Janus's errors "<code> <reason>"; only the code is kept.
  const coreCode = /^\d+/.exec(reason.message)?.[0];
  return new JanusRefusal(code, `Janus refused ${what}${coreCode ? ` (error ${coreCode})` : ''}`);
}

/**
 * Sends a VideoRoom `message` request on `handle` and resolves the plugin's reply. janode
 * forgets the transaction a little after our own timeout, so nothing waits forever.
 */
export async function videoRoomRequest(
  handle: Handle,
  body: Record<string, unknown>,
  timeoutMs: number,
  jsep?: SessionDescription,
): Promise<VideoRoomReply> {
  const what = `VideoRoom "${String(body.request)}"`;
  let reply: JanusMessage;
  try {
    // Every offer the bridge sends is a publisher's. Its simulcast rids are listed low to high
    // (q;h;f, the SDK's simulcastEncodings), while Janus takes the first rid for the highest
    // layer unless told `rid_order: 'lmh'`: without it `substream` 0 forwards the full layer.
    const sent = jsep?.type === 'offer' ? { type: jsep.type, sdp: jsep.sdp, rid_order: 'lmh' } : jsep && { type: jsep.type, sdp: jsep.sdp };
    const request = sent ? { janus: 'message', body, jsep: sent } : { janus: 'message', body };
    reply = await withTimeout(handle.sendRequest(request, timeoutMs + 1_000), timeoutMs, what);
  } catch (error) {
    throw toSfuError(error, what);
  }
  const data = reply.plugindata?.data ?? {};
  const code = data.error_code;
  if (typeof code === 'number') {
    const reason = SDP_CODES.has(code) ? `error ${code}` : `${code} ${String(data.error)}`;
    throw new JanusRefusal(code, `Janus refused ${what}: ${reason}`);
  }
  const answer = reply.jsep;
  return answer && (answer.type === 'offer' || answer.type === 'answer') && typeof answer.sdp === 'string'
    ? { data, jsep: { type: answer.type, sdp: answer.sdp } }
    : { data };
}
