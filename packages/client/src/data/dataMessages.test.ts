import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChunkDigest } from './chunkDigest.js';
import { safeFileName, transferIdOfLabel } from './dataMessages.js';
import { RateMeter } from './FileTransfer.js';

describe('file channels and names', () => {
  it('reads transfer ids only from file channel labels', () => {
    expect(transferIdOfLabel('ponte-file:abc_123')).toBe('abc_123');
    expect(transferIdOfLabel('ponte-file:')).toBeNull();
    expect(transferIdOfLabel('ponte-file:a/b')).toBeNull();
    expect(transferIdOfLabel('chat')).toBeNull();
  });

  it('makes file names safe to show and save', () => {
    expect(safeFileName('report.pdf')).toBe('report.pdf');
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('a\\b\u0000c')).toBe('a_b_c');
    expect(safeFileName('invoice\u202egpj.exe')).toBe('invoice_gpj.exe');
    expect(safeFileName(' . ')).toBe('file');
  });
});

describe('ChunkDigest', () => {
  const sha = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

  it('is SHA-256 over the chunk digests (one chunk "abc": the known double SHA-256)', async () => {
    const digest = new ChunkDigest();
    digest.add(new TextEncoder().encode('abc'));
    expect(await digest.hex()).toBe('4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358');
  });

  it('matches the definition for several chunks, and the empty transfer', async () => {
    const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array(70_000).fill(9), new Uint8Array([4])];
    const digest = new ChunkDigest();
    for (const chunk of chunks) digest.add(chunk);
    expect(await digest.hex()).toBe(sha(Buffer.concat(chunks.map(sha))).toString('hex'));
    expect(await new ChunkDigest().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('copies each chunk when it is added', async () => {
    const chunk = new Uint8Array([1, 2, 3]);
    const digest = new ChunkDigest();
    digest.add(chunk);
    chunk.fill(0);
    expect(await digest.hex()).toBe(sha(sha(new Uint8Array([1, 2, 3]))).toString('hex'));
  });
});

describe('RateMeter', () => {
  it('measures bytes per second over its window', () => {
    const meter = new RateMeter();
    expect(meter.sample(0, 0)).toBe(0);
    expect(meter.sample(1000, 500)).toBe(2000);
    expect(meter.sample(3000, 1000)).toBe(3000);
    // Old samples leave the 2 s window: the rate follows the recent slope.
    meter.sample(3000, 3000);
    expect(meter.sample(3000, 5500)).toBe(0);
  });
});
