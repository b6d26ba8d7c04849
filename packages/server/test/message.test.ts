import { LIMITS, PROTOCOL_MINOR, PROTOCOL_VERSION } from '@ponte/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

// `message`: data relayed by the server to peers of the sender's room (what the SDK uses for
// room.send and chat in SFU rooms), against the real server.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function join(room: string, name: string) {
  const client = await h.connect();
  client.send({ type: 'join', version: PROTOCOL_VERSION, minor: PROTOCOL_MINOR, room, name });
  const joined = await client.next('joined');
  return { client, id: joined.self };
}

describe('message', () => {
  it('reaches every other member of the room, stamped with the sender, and nobody in another room', async () => {
    const ana = await join('r', 'Ana');
    const bo = await join('r', 'Bo');
    const cy = await join('r', 'Cy');
    const stranger = await join('other', 'Zed');
    await ana.client.waitFor((f) => f.type === 'peer-joined' && f.peer.id === cy.id);
    await bo.client.waitFor((f) => f.type === 'peer-joined' && f.peer.id === cy.id);
    ana.client.send({ type: 'message', data: { text: 'olá', n: [1, 2] } });
    for (const { client } of [bo, cy])
      expect(await client.next('message')).toEqual({ type: 'message', from: ana.id, data: { text: 'olá', n: [1, 2] } });
    await ana.client.barrier();
    await stranger.client.barrier();
    expect(ana.client.unread.filter((f) => f.type === 'message')).toEqual([]);
    expect(stranger.client.unread.filter((f) => f.type === 'message')).toEqual([]);
  });

  it('reaches only the peers `to` names, and names those not in the room with UNKNOWN_PEER', async () => {
    const ana = await join('r', 'Ana');
    const bo = await join('r', 'Bo');
    const cy = await join('r', 'Cy');
    const stranger = await join('other', 'Zed');
    await ana.client.waitFor((f) => f.type === 'peer-joined' && f.peer.id === cy.id);
    ana.client.send({ type: 'message', to: [bo.id], data: 'just for Bo' });
    expect(await bo.client.waitFor((f) => f.type === 'message')).toEqual({ type: 'message', from: ana.id, data: 'just for Bo' });
    ana.client.send({ type: 'message', to: [cy.id, stranger.id], data: 7 });
    expect(await cy.client.next('message')).toMatchObject({ from: ana.id, data: 7 });
    expect(await ana.client.nextError()).toMatchObject({ code: 'UNKNOWN_PEER', ref: 'message', message: `not in room r: ${stranger.id}` });
    await stranger.client.barrier();
    expect(stranger.client.unread.filter((f) => f.type === 'message')).toEqual([]);
    await cy.client.barrier();
    expect(cy.client.unread.filter((f) => f.type === 'message')).toEqual([]);
  });

  it('refuses data longer than the limit, a message with no data, and one from a client in no room', async () => {
    const ana = await join('r', 'Ana');
    ana.client.send({ type: 'message', data: 'x'.repeat(LIMITS.messageDataLength) });
    expect(await ana.client.nextError()).toMatchObject({ code: 'BAD_MESSAGE', ref: 'message' });
    ana.client.send({ type: 'message', to: [], data: 1 });
    expect(await ana.client.nextError()).toMatchObject({ code: 'BAD_MESSAGE', ref: 'message' });
    ana.client.send({ type: 'message' });
    expect(await ana.client.nextError()).toMatchObject({ code: 'BAD_MESSAGE', ref: 'message' });
    const loner = await h.connect();
    loner.send({ type: 'message', data: 'hi' });
    expect(await loner.nextError()).toMatchObject({ code: 'NOT_IN_ROOM', ref: 'message' });
  });

  it('is replayed to a peer that resumes after missing it', async () => {
    const ana = await join('r', 'Ana');
    const bo = await join('r', 'Bo');
    await ana.client.waitFor((f) => f.type === 'peer-joined');
    expect(bo.client.unread).toEqual([]);
    // Bo's frames so far: none relayed. His socket breaks; Ana sends; Bo resumes having received 0.
    const joinedBo = bo.client.frames.find((f) => f.type === 'joined');
    bo.client.ws.terminate();
    await ana.client.barrier();
    ana.client.send({ type: 'message', data: { missed: true } });
    const back = await h.connect();
    back.send({
      type: 'resume',
      version: PROTOCOL_VERSION,
      minor: PROTOCOL_MINOR,
      token: joinedBo?.type === 'joined' ? joinedBo.resumeToken : '',
      name: 'Bo',
      state: { audio: false, video: false, screen: false },
      received: 0,
    });
    await back.next('resumed');
    expect(await back.next('message')).toEqual({ type: 'message', from: ana.id, data: { missed: true } });
  });
});
