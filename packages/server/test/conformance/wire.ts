/**
 * Frame-level helpers of the RFC 6455 conformance suite: cutting a message into fragments or
 * into chunks of bytes, and the expectations a case ends with (a close frame with a code and
 * the TCP close, a pong, an error answer, nothing more).
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { clientFrame } from '../clientFrame.js';
import { RAW_WAIT_MS, RawClient, type ReceivedFrame } from '../RawClient.js';
import { Opcode } from '../../src/transport/frame.js';

/** `bytes` cut at `offsets` (ascending; a repeated offset makes an empty part). */
export function cutAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const offset of offsets) {
    parts.push(bytes.subarray(from, offset));
    from = offset;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

/** `bytes` in pieces of `size` bytes, the last one shorter if need be. */
export function piecesOf(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

/**
 * The frames of one message carried by `parts` (RFC 6455 §5.4): the first frame of `opcode`,
 * the others continuations, only the last one final.
 */
export function fragmentFrames(parts: readonly Buffer[], opcode: number = Opcode.text): Buffer[] {
  return parts.map((part, i) => clientFrame(i === 0 ? opcode : Opcode.continuation, part, { fin: i === parts.length - 1 }));
}

/** How a case writes its frames: all in one write, a write per frame, or a write per byte. */
export type WriteMode = 'in one write' | 'frame by frame' | 'byte by byte';

/** Sends `frames` the way `mode` says (see {@link RawClient.sendParts} for the chunked ways). */
export async function sendFrames(client: RawClient, frames: readonly Buffer[], mode: WriteMode): Promise<void> {
  if (mode === 'in one write') client.send(Buffer.concat(frames));
  else if (mode === 'frame by frame') await client.sendParts(frames);
  else await client.sendParts(piecesOf(Buffer.concat(frames), 1));
}

const OPCODE_NAMES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

/**
 * A server frame as a short line for assertions and failure messages: `close 1002`,
 * `close (no code)`, `pong 0a0b…` (hex), `text {"type":"error",…}`, `binary (12 bytes)`.
 */
export function describeFrame(frame: ReceivedFrame): string {
  const name = `${frame.fin ? '' : 'non-final '}${OPCODE_NAMES[frame.opcode] ?? `opcode ${frame.opcode}`}`;
  switch (frame.opcode) {
    case Opcode.close:
      return frame.payload.length >= 2 ? `${name} ${frame.payload.readUInt16BE(0)}` : `${name} (no code)`;
    case Opcode.ping:
    case Opcode.pong:
      return `${name} ${frame.payload.toString('hex')}`;
    case Opcode.text: {
      const text = frame.payload.toString('utf8');
      return `${name} ${text.length > 160 ? `${text.slice(0, 160)}… (${frame.payload.length} bytes)` : text}`;
    }
    default:
      return `${name} (${frame.payload.length} bytes)`;
  }
}

/**
 * Expects the server's next frame to be a close frame with `code` (`undefined`: a close frame
 * without a payload), then the TCP connection to close with nothing sent after the close frame.
 * Returns the close frame.
 */
export async function expectClose(client: RawClient, code: number | undefined): Promise<ReceivedFrame> {
  const frame = await client.nextFrame();
  expect(describeFrame(frame)).toBe(code === undefined ? 'close (no code)' : `close ${code}`);
  await client.waitClosed();
  expect(client.frames.map(describeFrame), 'frames after the close frame').toEqual([]);
  return frame;
}

/** Expects the server's next frame to be a pong carrying `payload`. */
export async function expectPong(client: RawClient, payload: Buffer | string): Promise<void> {
  const frame = await client.nextFrame();
  expect(describeFrame(frame)).toBe(`pong ${Buffer.from(payload).toString('hex')}`);
}

/**
 * Expects the server's next frame to be a protocol `error` answer with `code`: the server's
 * reaction to a message it accepted whole but cannot use (not JSON, binary).
 */
export async function expectErrorAnswer(client: RawClient, code = 'BAD_MESSAGE'): Promise<void> {
  const frame = await client.nextFrame();
  expect(describeFrame(frame)).toMatch(/^text /);
  expect(JSON.parse(frame.payload.toString('utf8'))).toMatchObject({ type: 'error', code });
}

/**
 * Pings with a fresh payload and expects its pong as the very next frame: once this resolves,
 * the server sent nothing else before it read the ping, and the connection is still open.
 */
export async function expectNothingMore(client: RawClient): Promise<void> {
  const payload = randomBytes(8);
  client.sendFrame(Opcode.ping, payload);
  await expectPong(client, payload);
}

/**
 * Sends `request` (a whole HTTP request head) on a new TCP connection to `baseUrl` and resolves
 * with the status line of the answer, or `(closed without a response)`.
 */
export async function upgradeStatusLine(baseUrl: string, request: string): Promise<string> {
  const socket = await RawClient.open(baseUrl);
  socket.on('error', () => {});
  let received = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response within ${RAW_WAIT_MS} ms`)), RAW_WAIT_MS);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        const end = received.indexOf('\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        resolve(received.slice(0, end));
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve('(closed without a response)');
      });
      socket.write(request);
    });
  } finally {
    socket.destroy();
  }
}
