import { randomBytes } from 'node:crypto';

/** Options of a frame built by {@link clientFrame}. */
export interface ClientFrameOptions {
  fin?: boolean;
  masked?: boolean;
  /** The three reserved bits, as they sit in the first byte (0x70 for all). */
  rsv?: number;
  /** The length encoding to use: the shortest by default. */
  lengthBytes?: 0 | 2 | 8;
  /** Claims this payload length instead of the real one. */
  claimedLength?: number;
}

/** A frame as a client sends it (masked with a random key unless told otherwise), for tests. */
export function clientFrame(opcode: number, payload: Buffer | string, options: ClientFrameOptions = {}): Buffer {
  const data = Buffer.from(payload);
  const { fin = true, masked = true, rsv = 0 } = options;
  const length = options.claimedLength ?? data.length;
  const lengthBytes = options.lengthBytes ?? (length < 126 ? 0 : length < 0x10000 ? 2 : 8);
  const header = Buffer.alloc(2 + lengthBytes);
  header[0] = (fin ? 0x80 : 0) | rsv | opcode;
  header[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!masked) return Buffer.concat([header, data]);
  const key = randomBytes(4);
  const body = Buffer.from(data.map((byte, i) => byte ^ key[i & 3]!));
  return Buffer.concat([header, key, body]);
}
