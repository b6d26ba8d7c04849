/**
 * The integrity digest of a transfer: SHA-256 over the concatenation of the SHA-256 digest
 * of each chunk, in order, chunks as sent (every one `chunkSize` bytes but the last).
 *
 * Why not the plain SHA-256 of the file: WebCrypto has no streaming digest, and a pure-JS
 * incremental one costs far more CPU than the native one, on a path where CPU is what limits
 * throughput. Digesting each chunk natively as it goes by keeps memory bounded (a chunk is
 * hashed when it is sent or received, then only its 32-byte digest is kept) and runs beside
 * the transfer. It detects any changed, missing, reordered or extra chunk like a plain
 * digest would.
 */
export class ChunkDigest {
  readonly #digests: Promise<ArrayBuffer>[] = [];

  /** Adds the next chunk. WebCrypto copies `chunk` at once, so the caller may reuse it. */
  add(chunk: Uint8Array<ArrayBuffer>): void {
    this.#digests.push(crypto.subtle.digest('SHA-256', chunk));
  }

  /** The digest of everything added, as 64 lowercase hex digits. */
  async hex(): Promise<string> {
    const digests = await Promise.all(this.#digests);
    const joined = new Uint8Array(digests.length * 32);
    digests.forEach((digest, index) => joined.set(new Uint8Array(digest), index * 32));
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', joined)));
  }
}

/** `bytes` as lowercase hex. */
function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
