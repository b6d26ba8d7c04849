// The load generator's side of each server's protocol: open a signaling connection and build
// the offer and candidates frames that each server relays. Used by the relay and capacity benches.
import WebSocket from 'ws';

/** A 4 KB SDP offer (typical audio + video m-lines of a browser offer, padded with codecs). */
export const SDP = (() => {
  const lines = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1 2',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS stream',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:EsAw',
    'a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 DA:7B:57:DC:28:CE:04:4F:31:79:85:C4:31:67:EB:27:58:29:ED:77:2A:0D:24:AE:ED:AD:30:BC:BD:F1:9C:02',
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
  ];
  let sdp = lines.join('\r\n');
  for (let pt = 96; sdp.length < 4000; pt++) {
    sdp += `\r\na=rtpmap:${pt} VP8/90000\r\na=rtcp-fb:${pt} goog-remb\r\na=rtcp-fb:${pt} transport-cc\r\na=rtcp-fb:${pt} ccm fir\r\na=rtcp-fb:${pt} nack\r\na=rtcp-fb:${pt} nack pli`;
  }
  return `${sdp.slice(0, 4096)}\r\n`;
})();

/** One trickled candidate: a ~300 byte candidates frame once wrapped. */
export const CANDIDATE = {
  candidate:
    'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 192.168.1.10 rport 46154 generation 0 ufrag EsAw network-id 1 network-cost 10',
  sdpMid: '0',
  sdpMLineIndex: 0,
};

const PONTE_STATE = { audio: true, video: true, screen: false };

/**
 * Builds the text frames a client of `server` sends: `offer(to)` (the 4 KB SDP) and
 * `candidates(to)` (one 300 B candidate), and `kindOf(message)` reads back what a received
 * relayed frame is ('offer' | 'candidates' | null for anything else).
 */
export const PROTOCOLS = {
  ponte: {
    url: (port) => `ws://127.0.0.1:${port}/ws`,
    offer: (to) => JSON.stringify({ type: 'signal', to, data: { kind: 'description', description: { type: 'offer', sdp: SDP } } }),
    candidates: (to) => JSON.stringify({ type: 'signal', to, data: { kind: 'candidates', candidates: [CANDIDATE] } }),
    kindOf: (m) => (m.type === 'signal' ? (m.data.kind === 'description' ? 'offer' : 'candidates') : null),
  },
  floor: {
    url: (port, id) => `ws://127.0.0.1:${port}/?id=${id}`,
    offer: (to) => JSON.stringify({ to, data: { kind: 'description', description: { type: 'offer', sdp: SDP } } }),
    candidates: (to) => JSON.stringify({ to, data: { kind: 'candidates', candidates: [CANDIDATE] } }),
    kindOf: (m) => (m.data === undefined ? null : m.data.kind === 'description' ? 'offer' : 'candidates'),
  },
  peerjs: {
    url: (port, id) => `ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${id}&token=t${id}`,
    // The payloads the peerjs client sends for a media call (see peerjs's negotiator).
    offer: (to) =>
      JSON.stringify({
        type: 'OFFER',
        dst: to,
        payload: { sdp: { type: 'offer', sdp: SDP }, type: 'media', connectionId: 'mc_bench', metadata: null },
      }),
    candidates: (to) => JSON.stringify({ type: 'CANDIDATE', dst: to, payload: { candidate: CANDIDATE, type: 'media', connectionId: 'mc_bench' } }),
    kindOf: (m) => (m.type === 'OFFER' ? 'offer' : m.type === 'CANDIDATE' ? 'candidates' : null),
  },
};

/** A baseline Ponte server (see `SERVERS.baseline` in common.mjs) speaks Ponte's protocol. */
PROTOCOLS.baseline = PROTOCOLS.ponte;

/**
 * Opens one signaling connection to `server` and waits until it can signal: Ponte joined
 * `room`, the floor told its id, PeerJS sent OPEN. Resolves `{ socket, id, peers }` where
 * `peers` are the ids already in the room (Ponte) — for the other servers ids are chosen by us.
 */
export function openClient(server, port, { id, room, timeoutMs = 20_000 }) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(PROTOCOLS[server].url(port, id), { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`${server}: no answer for ${id}`));
    }, timeoutMs);
    const done = (value) => {
      clearTimeout(timer);
      socket.off('message', onFirst);
      resolve(value);
    };
    const onFirst = (data) => {
      const m = JSON.parse(data.toString());
      if (PROTOCOLS[server] === PROTOCOLS.ponte && m.type === 'joined') done({ socket, id: m.self, peers: m.peers.map((p) => p.id) });
      else if (server === 'floor' && m.type === 'id') done({ socket, id: m.id, peers: [] });
      else if (server === 'peerjs' && m.type === 'OPEN') done({ socket, id, peers: [] });
      else if (m.type === 'error' || m.type === 'ERROR' || m.type === 'ID-TAKEN') {
        clearTimeout(timer);
        socket.terminate();
        reject(new Error(`${server}: ${JSON.stringify(m)}`));
      }
    };
    socket.on('message', onFirst);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (PROTOCOLS[server] === PROTOCOLS.ponte) {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'join', version: 1, room, name: `bench-${id}`, state: PONTE_STATE })));
    }
  });
}

/** Opens two connected clients A and B that can signal each other (Ponte: one room of two). */
export async function openPair(server, port, index) {
  const room = `bench-${index}`;
  const a = await openClient(server, port, { id: `a${index}`, room });
  const b = await openClient(server, port, { id: `b${index}`, room });
  return { a, b };
}
