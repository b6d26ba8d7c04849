import { describe, expect, it } from 'vitest';
import { LIMITS, PROTOCOL_VERSION, parseClientFrame, parseServerFrame } from './index.js';

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } };

describe('parseClientFrame', () => {
  it('accepts a join and normalises the display name', () => {
    const result = parseClientFrame(JSON.stringify({ type: 'join', version: PROTOCOL_VERSION, room: 'abc_DEF-1', name: '  Ana \t Maria  ' }));
    expect(result).toEqual({
      ok: true,
      frame: { type: 'join', version: 1, room: 'abc_DEF-1', name: 'Ana Maria' },
    });
  });

  it('accepts a signal with a description and one with candidates', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'signal', to: 'p1', data: offer })).ok).toBe(true);
    const candidates = {
      kind: 'candidates',
      candidates: [{ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 }],
    };
    expect(parseClientFrame(JSON.stringify({ type: 'signal', to: 'p1', data: candidates })).ok).toBe(true);
  });

  it('accepts a resume with the count of frames received', () => {
    const frame = { type: 'resume', version: 1, token: 'abc.def', name: 'Ana', state: { audio: true, video: false, screen: false }, received: 12 };
    expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
    expect(parseClientFrame(JSON.stringify({ ...frame, received: -1 })).ok).toBe(false);
  });

  it('accepts a partial state update', () => {
    const result = parseClientFrame(JSON.stringify({ type: 'update', state: { audio: false } }));
    expect(result).toEqual({ ok: true, frame: { type: 'update', state: { audio: false } } });
  });

  it.each([
    ['not JSON', '{nope', undefined],
    ['an array', '[]', undefined],
    ['an unknown type', JSON.stringify({ type: 'explode' }), 'explode'],
    ['a join without a room', JSON.stringify({ type: 'join', version: 1, name: 'a' }), 'join'],
    ['a room id with a slash', JSON.stringify({ type: 'join', version: 1, room: 'a/b', name: 'a' }), 'join'],
    ['a blank name', JSON.stringify({ type: 'join', version: 1, room: 'r', name: '   ' }), 'join'],
    ['a name with a control character', JSON.stringify({ type: 'join', version: 1, room: 'r', name: 'a\u0007b' }), 'join'],
    ['a too long name', JSON.stringify({ type: 'join', version: 1, room: 'r', name: 'x'.repeat(LIMITS.nameLength + 1) }), 'join'],
    ['an extra field inside a state', JSON.stringify({ type: 'update', state: { audio: true, sneaky: true } }), 'update'],
    ['a forged from on a signal', JSON.stringify({ type: 'signal', to: 'p1', from: 'p2', data: offer }), 'signal'],
    [
      'a rollback description',
      JSON.stringify({ type: 'signal', to: 'p1', data: { kind: 'description', description: { type: 'rollback', sdp: '' } } }),
      'signal',
    ],
    [
      'an oversized SDP',
      JSON.stringify({
        type: 'signal',
        to: 'p1',
        data: { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(LIMITS.sdpLength + 1) } },
      }),
      'signal',
    ],
    [
      'too many candidates',
      JSON.stringify({
        type: 'signal',
        to: 'p1',
        data: { kind: 'candidates', candidates: Array.from({ length: LIMITS.candidatesPerSignal + 1 }, () => ({ candidate: 'c' })) },
      }),
      'signal',
    ],
    ['a name with a right-to-left override', JSON.stringify({ type: 'join', version: 1, room: 'r', name: 'Ana\u202eoboB' }), 'join'],
    ['a name with a zero-width space', JSON.stringify({ type: 'join', version: 1, room: 'r', name: 'A\u200bna' }), 'join'],
    ['an update that changes nothing', JSON.stringify({ type: 'update' }), 'update'],
    ['a wrongly typed state', JSON.stringify({ type: 'update', state: { audio: 'yes' } }), 'update'],
  ])('refuses %s', (_label, text, ref) => {
    const result = parseClientFrame(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.length).toBeGreaterThan(0);
      expect(result.ref).toBe(ref);
    }
  });

  it('drops a top-level field it does not know (a newer minor may add one)', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'leave', sneaky: true }))).toEqual({ ok: true, frame: { type: 'leave' } });
  });

  it('says where an invalid frame is wrong', () => {
    const result = parseClientFrame(JSON.stringify({ type: 'join', version: 1, room: 'ok', name: 5 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('name');
  });

  it('survives deeply nested JSON', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(parseClientFrame(deep).ok).toBe(false);
  });
});

describe('parseServerFrame', () => {
  it('accepts every server frame type', () => {
    const peer = { id: 'p1', name: 'Ana', state: { audio: true, video: false, screen: false } };
    const frames = [
      {
        type: 'joined',
        version: 1,
        room: 'r',
        self: 'p2',
        peers: [peer],
        iceServers: [{ urls: 'stun:x' }],
        iceTransportPolicy: 'all',
        maxPeers: 8,
        resumeToken: 't',
      },
      {
        type: 'resumed',
        version: 1,
        room: 'r',
        self: 'p2',
        peers: [],
        iceServers: [],
        iceTransportPolicy: 'relay',
        maxPeers: 8,
        resumeToken: 't',
        lapsed: false,
        replayFrom: 3,
      },
      { type: 'refresh', resumeToken: 't2', iceServers: [{ urls: 'turn:x', username: 'u', credential: 'c' }] },
      { type: 'peer-joined', peer },
      { type: 'peer-left', peer: 'p1', reason: 'timeout' },
      { type: 'peer-updated', peer },
      { type: 'signal', from: 'p1', data: offer },
      { type: 'error', code: 'ROOM_FULL', message: 'full', ref: 'join' },
    ];
    for (const frame of frames) expect(parseServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('refuses an unknown error code and a signal without from', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'error', code: 'NOPE', message: '' })).ok).toBe(false);
    expect(parseServerFrame(JSON.stringify({ type: 'signal', data: offer })).ok).toBe(false);
  });
});
