/**
 * What the hostile attacks and the honest pair need to know about each signaling server under
 * test: where its WebSocket is, how a connection joins, and its relay frames. Ponte's and
 * PeerJS's servers are described here; nothing else in `hostile/` is specific to either.
 * @packageDocumentation
 */
import { PROTOCOL_VERSION } from '@ponte/protocol';

/** The kinds of server the hostile attacks and the honest pair can talk to. */
export type ServerKind = 'ponte' | 'peerjs';

/** What a relayed frame is, as the honest pair sees it. */
export type RelayKind = 'offer' | 'answer' | 'error' | 'other';

/** A server as the attack library sees it. */
export interface AttackTarget {
  kind: ServerKind;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** The request target of WebSocket connection number `n` (PeerJS wants an id of its own per socket). */
  wsPath(n: number): string;
  /**
   * The text frame that joins connection `n` to a room of its own, and how to recognise the
   * answer; undefined when the handshake already made the connection a peer (PeerJS).
   */
  join: { frame(n: number): string; isJoined(text: string): boolean } | undefined;
}

/** A server's relay protocol, as the honest pair speaks it. */
export interface HonestProtocol {
  /** The WebSocket URL for the peer called `name` (PeerJS takes the id from it). */
  url(baseUrl: string, name: string): string;
  /** The frame to send once open, if any (Ponte's `join`). */
  hello(room: string, name: string): string | undefined;
  /** The peer's id once `message` says it is ready (Ponte `joined`, PeerJS `OPEN`), else undefined. */
  ready(message: Record<string, unknown>, name: string): string | undefined;
  offer(to: string, sequence: number): string;
  answer(to: string, sequence: number): string;
  /** What a received frame is, and the round's sequence number for offers and answers. */
  read(message: Record<string, unknown>): { kind: RelayKind; sequence?: number };
}

/** A browser-like offer or answer body (~1.5 KB), numbered so a lost or repeated one shows. */
function sdp(type: 'offer' | 'answer', sequence: number): string {
  const lines = ['v=0', `o=- ${4611731400430051336n + BigInt(sequence)} 2 IN IP4 127.0.0.1`, 's=-', 't=0 0', 'a=group:BUNDLE 0'];
  lines.push('m=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:EsAw', 'a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y');
  lines.push(`a=setup:${type === 'offer' ? 'actpass' : 'active'}`, 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2');
  for (let pt = 96; pt < 116; pt++) lines.push(`a=rtpmap:${pt} VP8/90000`, `a=rtcp-fb:${pt} nack pli`);
  return `${lines.join('\r\n')}\r\n`;
}

/** The sequence number carried in an SDP's origin line (see {@link sdp}). */
function sequenceOf(body: unknown): number | undefined {
  if (typeof body !== 'string') return undefined;
  const match = /^o=- (\d+) /m.exec(body);
  return match === null ? undefined : Number(BigInt(match[1]!) - 4611731400430051336n);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Ponte's own protocol (see `@ponte/protocol`): `join`, then `signal` frames relayed by id. */
export const PONTE_PROTOCOL: HonestProtocol = {
  url: (baseUrl) => `${baseUrl.replace(/^http/, 'ws')}/ws`,
  hello: (room, name) => JSON.stringify({ type: 'join', version: PROTOCOL_VERSION, room, name }),
  ready: (message) => (message.type === 'joined' && typeof message.self === 'string' ? message.self : undefined),
  offer: (to, sequence) =>
    JSON.stringify({ type: 'signal', to, data: { kind: 'description', description: { type: 'offer', sdp: sdp('offer', sequence) } } }),
  answer: (to, sequence) =>
    JSON.stringify({ type: 'signal', to, data: { kind: 'description', description: { type: 'answer', sdp: sdp('answer', sequence) } } }),
  read(message) {
    if (message.type === 'error') return { kind: 'error' };
    if (message.type !== 'signal') return { kind: 'other' };
    const description = record(record(message.data).description);
    const kind = description.type === 'offer' ? 'offer' : description.type === 'answer' ? 'answer' : 'other';
    return { kind, sequence: sequenceOf(description.sdp) };
  },
};

/** PeerJS's protocol (the `peer` server): ids in the URL, `OFFER`/`ANSWER` relayed by `dst`. */
export const PEERJS_PROTOCOL: HonestProtocol = {
  url: (baseUrl, name) => `${baseUrl.replace(/^http/, 'ws')}/peerjs?key=peerjs&id=${name}&token=t${name}`,
  hello: () => undefined,
  ready: (message, name) => (message.type === 'OPEN' ? name : undefined),
  offer: (to, sequence) =>
    JSON.stringify({
      type: 'OFFER',
      dst: to,
      payload: { sdp: { type: 'offer', sdp: sdp('offer', sequence) }, type: 'media', connectionId: 'mc_hostile' },
    }),
  answer: (to, sequence) =>
    JSON.stringify({
      type: 'ANSWER',
      dst: to,
      payload: { sdp: { type: 'answer', sdp: sdp('answer', sequence) }, type: 'media', connectionId: 'mc_hostile' },
    }),
  read(message) {
    if (message.type === 'ERROR' || message.type === 'ID-TAKEN') return { kind: 'error' };
    if (message.type !== 'OFFER' && message.type !== 'ANSWER') return { kind: 'other' };
    const body = record(record(message.payload).sdp).sdp;
    return { kind: message.type === 'OFFER' ? 'offer' : 'answer', sequence: sequenceOf(body) };
  },
};

/** The honest pair's protocol for each kind of server. */
export const HONEST_PROTOCOLS: Record<ServerKind, HonestProtocol> = { ponte: PONTE_PROTOCOL, peerjs: PEERJS_PROTOCOL };

/** The attack library's view of the server of kind `kind` at `baseUrl`. */
export function attackTarget(kind: ServerKind, baseUrl: string): AttackTarget {
  if (kind === 'peerjs') {
    return { kind, baseUrl, wsPath: (n) => `/peerjs?key=peerjs&id=hostile${n}&token=t${n}`, join: undefined };
  }
  return {
    kind,
    baseUrl,
    wsPath: () => '/ws',
    join: {
      frame: (n) => PONTE_PROTOCOL.hello(`hostile-${n}`, `hostile ${n}`)!,
      isJoined: (text) => text.includes('"type":"joined"'),
    },
  };
}
