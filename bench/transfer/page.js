// Runs in each of the two Chromium processes of the transfer benchmark. Three ways to move the
// same bytes: a raw RTCDataChannel (the floor), the Ponte SDK (Room.sendFile), and PeerJS's
// DataConnection. `window.bench` is driven by run.mjs through Playwright.
import { Room } from '/ponte-client.js';

const payloads = new Map();

/** The same pseudo-random bytes in every process and method (xorshift32 from a fixed seed). */
function payload(bytes) {
  let data = payloads.get(bytes);
  if (data) return data;
  data = new Uint8Array(bytes);
  const words = new Uint32Array(data.buffer, 0, Math.floor(bytes / 4));
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  payloads.set(bytes, data);
  return data;
}

function once(target, name) {
  return new Promise((resolve) => target.addEventListener(name, resolve, { once: true }));
}

async function gathered(pc) {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
  }
  return pc.localDescription.sdp;
}

let raw = null;
let room = null;
let peer = null;
let conn = null;

window.bench = {
  ready: true,

  // ---- Raw RTCDataChannel: the floor ----
  async rawOffer() {
    raw = new RTCPeerConnection();
    raw.createDataChannel('warm-up');
    await raw.setLocalDescription();
    return gathered(raw);
  },
  async rawAnswer(sdp) {
    raw = new RTCPeerConnection();
    await raw.setRemoteDescription({ type: 'offer', sdp });
    await raw.setLocalDescription();
    // The receiving side: each run opens a channel, says how many bytes follow, sends them.
    raw.ondatachannel = ({ channel }) => {
      channel.binaryType = 'arraybuffer';
      // With `work` (the profile mode), the receiver also does what the SDK's does per chunk.
      let header = { size: Infinity };
      let received = 0;
      const digests = [];
      let parts = [];
      let partsBytes = 0;
      const blobs = [];
      const finish = async () => {
        await Promise.all(digests);
        if (header.store) new Blob([...blobs, ...parts]);
        channel.send('done');
      };
      // Synchronous on the hot path, like the SDK's receiver.
      channel.onmessage = ({ data }) => {
        if (typeof data === 'string') {
          header = JSON.parse(data);
          return;
        }
        received += data.byteLength;
        if (header.digest) digests.push(crypto.subtle.digest('SHA-256', data));
        if (header.store) {
          parts.push(data);
          partsBytes += data.byteLength;
          if (partsBytes >= 8 * 1024 * 1024) {
            blobs.push(new Blob(parts));
            parts = [];
            partsBytes = 0;
          }
        }
        if (received >= header.size) void finish();
      };
    };
    return gathered(raw);
  },
  async rawAccept(sdp) {
    await raw.setRemoteDescription({ type: 'answer', sdp });
    while (raw.connectionState !== 'connected') await once(raw, 'connectionstatechange');
  },
  async rawSend({ bytes, chunkSize, highWaterMark, lowWaterMark, work = {} }) {
    const data = payload(bytes);
    const blob = work.fromBlob ? new Blob([data]) : null;
    const channel = raw.createDataChannel(`run-${Math.random()}`, { ordered: true });
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = lowWaterMark;
    await once(channel, 'open');
    const done = once(channel, 'message');
    const digests = [];
    const start = performance.now();
    channel.send(JSON.stringify({ size: bytes, digest: work.recvDigest, store: work.recvStore }));
    const block = 1024 * 1024;
    let next = blob?.slice(0, block).arrayBuffer();
    for (let offset = 0; offset < bytes; offset += block) {
      let source = data.subarray(offset, offset + block);
      if (blob) {
        source = new Uint8Array(await next);
        next = blob.slice(offset + block, offset + 2 * block).arrayBuffer();
      }
      for (let at = 0; at < source.length; at += chunkSize) {
        if (channel.bufferedAmount > highWaterMark) await once(channel, 'bufferedamountlow');
        const chunk = source.subarray(at, at + chunkSize);
        channel.send(chunk);
        if (work.digest) digests.push(crypto.subtle.digest('SHA-256', chunk));
      }
    }
    await Promise.all(digests);
    await done;
    const seconds = (performance.now() - start) / 1000;
    channel.close();
    return seconds;
  },

  // ---- Ponte SDK ----
  async ponteJoin(url, roomId, name, data) {
    room?.leave();
    room = new Room({ url, room: roomId, name, ...(data ? { data } : {}) });
    room.on('file-offer', ({ file }) => file.accept());
    await room.join({ audio: false, video: false });
  },
  async pontePeers() {
    return room.peers.size;
  },
  async ponteSend({ bytes }) {
    const [target] = room.peers.keys();
    const file = new Blob([payload(bytes)], { type: 'application/octet-stream' });
    const start = performance.now();
    const handle = room.sendFile(file, { to: target, name: 'bench.bin' });
    const end = await new Promise((resolve) => handle.on('end', resolve));
    if (end.state !== 'done') throw new Error(`transfer ended ${end.state}`);
    return (performance.now() - start) / 1000;
  },

  // ---- PeerJS DataConnection ----
  async peerjsOpen(id, port) {
    peer = new window.Peer(id, { host: '127.0.0.1', port, path: '/', secure: false, config: { iceServers: [] } });
    await new Promise((resolve, reject) => {
      peer.on('open', resolve);
      peer.on('error', reject);
    });
    peer.on('connection', (incoming) => {
      // PeerJS's binary serialization chunks a large message and reassembles it: one event.
      incoming.on('data', () => incoming.send('done'));
    });
  },
  async peerjsConnect(remoteId, serialization) {
    conn = peer.connect(remoteId, { serialization, reliable: true });
    await new Promise((resolve, reject) => {
      conn.on('open', resolve);
      conn.on('error', reject);
    });
  },
  async peerjsSend({ bytes }) {
    const data = payload(bytes);
    const done = new Promise((resolve) => conn.once('data', resolve));
    const start = performance.now();
    conn.send(data.buffer);
    await done;
    return (performance.now() - start) / 1000;
  },
};
