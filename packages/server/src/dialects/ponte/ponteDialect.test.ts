import { PROTOCOL_VERSION } from '@ponte/protocol';
import { describe, expect, it } from 'vitest';
import { encodeSignal } from '../../rooms/EncodedFrame.js';
import { ponteDialect } from './ponteDialect.js';

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe("Ponte's dialect", () => {
  it("takes a signal's data as the bytes the client wrote, so the relayed frame splices them unchanged", () => {
    const data = '{ "kind":"description", "description":{"type":"offer","sdp":"v=0\\r\\n"} }';
    const parsed = ponteDialect.parse(text(`{"type":"signal","to":"bob","data":${data}}`));
    expect(parsed).toEqual({ ok: true, command: { type: 'signal', to: 'bob', data: text(data) } });
    if (!parsed.ok || parsed.command.type !== 'signal') throw new Error('not a signal');
    expect(encodeSignal('ana', parsed.command.data).bytes.toString()).toBe(`{"type":"signal","from":"ana","data":${data}}`);
  });

  it('turns the other frames into commands and refuses what the protocol refuses, naming the frame', () => {
    expect(ponteDialect.parse(text('{"type":"leave"}'))).toEqual({ ok: true, command: { type: 'leave' } });
    expect(ponteDialect.parse(text('{"type":"update","name":"Bo"}'))).toEqual({ ok: true, command: { type: 'update', name: 'Bo' } });
    expect(ponteDialect.parse(text('{"type":"update"}'))).toMatchObject({ ok: false, ref: 'update' });
    expect(ponteDialect.parse(text('not json'))).toEqual({ ok: false, message: 'frame is not valid JSON' });
  });

  it('encodes joined with the fields in the order the server always sent them', () => {
    const request = { type: 'join' as const, version: PROTOCOL_VERSION, room: 'r', name: 'Ana' };
    const self = { id: 'ana', name: 'Ana', state: { audio: false, video: false, screen: false } };
    const frame = ponteDialect.encode({
      type: 'joined',
      request,
      room: 'r',
      self,
      peers: [],
      iceServers: [],
      iceTransportPolicy: 'all',
      maxPeers: 8,
      resumeToken: 't',
      features: ['resume'],
    });
    expect(frame.type).toBe('joined');
    expect(frame.bytes.toString()).toBe(
      `{"type":"joined","peers":[],"version":${PROTOCOL_VERSION},"room":"r","self":"ana","iceServers":[],"iceTransportPolicy":"all","maxPeers":8,"resumeToken":"t"}`,
    );
  });

  it('tells a client of minor 3 the features and topology of an SFU server', () => {
    const request = { type: 'join' as const, version: PROTOCOL_VERSION, minor: 3, features: ['resume', 'sfu'], room: 'r', name: 'Ana' };
    const self = { id: 'ana', name: 'Ana', state: { audio: false, video: false, screen: false } };
    const frame = ponteDialect.encode({
      ...{ type: 'joined' as const, request, room: 'r', self, peers: [], iceServers: [], iceTransportPolicy: 'all' as const },
      ...{ maxPeers: 50, resumeToken: 't', features: ['resume', 'sfu'], topology: 'sfu' as const },
    });
    expect(JSON.parse(frame.bytes.toString())).toMatchObject({ minor: 3, features: ['resume', 'sfu'], topology: 'sfu', maxPeers: 50 });
  });

  it('sends what the rooms deliver as it is', () => {
    const frame = encodeSignal('ana', text('{"kind":"candidate","candidate":null}'));
    expect(ponteDialect.fromRoom(frame)).toBe(frame);
  });
});
