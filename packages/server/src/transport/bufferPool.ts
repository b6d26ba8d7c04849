/**
 * Allocation of the server's outgoing frames from shared slabs, as Node's own Buffer pool
 * does for buffers under 4 KB, but for frames up to 16 KB: a relayed SDP (4-8 KB) would
 * otherwise get an ArrayBuffer of its own, twice per relay (the frame, then its WebSocket
 * framing), and the external memory of those drives extra garbage collections.
 *
 * A slab is freed once no frame cut from it is referenced any more. A frame is referenced
 * only until its socket has written it and the replay log has copied it, so slabs die young.
 * @packageDocumentation
 */

const SLAB_BYTES = 64 * 1024;
/** Larger buffers get their own memory: they would leave too much of a slab unused. */
const LARGEST_POOLED = 16 * 1024;

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/** An uninitialized buffer of `length` bytes (every byte must be written before it is read). */
export function allocFrameBuffer(length: number): Buffer {
  if (length > LARGEST_POOLED) return Buffer.allocUnsafeSlow(length);
  if (used + length > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const buffer = slab.subarray(used, used + length);
  // The next buffer starts 8-byte aligned, as Node's pool keeps them.
  used = (used + length + 7) & ~7;
  return buffer;
}
