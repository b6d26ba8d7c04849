import { PROTOCOL_VERSION, featuresAnswer, parseClientFrame, type ServerFrame } from '@ponte/protocol';
import { encodeServerFrame, type EncodedFrame } from '../../rooms/EncodedFrame.js';
import type { Dialect, ParsedMessage, SessionEvent } from '../Dialect.js';
import { memberJson } from './jsonMember.js';

/** The frame of an event of the session, in Ponte's protocol (docs/protocol.md). */
function ponteFrame(event: SessionEvent): ServerFrame {
  if (event.type !== 'joined' && event.type !== 'resumed') return event;
  const { room, self, peers, iceServers, iceTransportPolicy, maxPeers, resumeToken, features, topology } = event;
  const answer =
    event.type === 'joined'
      ? { type: 'joined' as const, peers, ...featuresAnswer(event.request, features) }
      : { type: 'resumed' as const, peers, lapsed: event.lapsed, replayFrom: event.replayFrom, ...featuresAnswer(event.request, features) };
  const common = { version: PROTOCOL_VERSION, room, self: self.id, iceServers, iceTransportPolicy, maxPeers, resumeToken };
  return topology === undefined ? { ...answer, ...common } : { ...answer, ...common, topology };
}

/**
 * Ponte's own protocol (`@ponte/protocol`, docs/protocol.md): JSON text frames, validated by
 * the protocol package's hand-written checks. A signal's `data` is taken as the bytes the
 * client sent, so the relay splices them into the relayed frame unparsed. The rooms already
 * speak Ponte's frames, so what they deliver goes out as it is.
 */
export const ponteDialect: Dialect = {
  name: 'ponte',

  parse(bytes: Buffer): ParsedMessage {
    const parsed = parseClientFrame(bytes.toString('utf8'));
    if (!parsed.ok) return parsed;
    const { frame } = parsed;
    // A signal's or message's frame passed validation, so its text has a `data` member.
    if (frame.type === 'signal') return { ok: true, command: { type: 'signal', to: frame.to, data: memberJson(bytes, 'data')! } };
    if (frame.type === 'message') {
      return { ok: true, command: { type: 'message', ...(frame.to === undefined ? {} : { to: frame.to }), data: memberJson(bytes, 'data')! } };
    }
    return { ok: true, command: frame };
  },

  encode(event: SessionEvent): EncodedFrame {
    return encodeServerFrame(ponteFrame(event));
  },

  fromRoom(frame: EncodedFrame): EncodedFrame {
    return frame;
  },
};
