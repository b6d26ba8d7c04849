import { mintJoinToken } from '@ponte/server';
import { PROTOCOL_VERSION, type JoinedFrame, type ServerFrame } from '@ponte/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ponteFromSource, ServerProcess } from '../../server/test/hostile/serverProcess.js';
import { startRedis, type RedisServer } from '../../server/test/redis/redisServer.js';
import { TestClient } from '../../server/test/TestClient.js';

// Three real server processes (main.ts, from source) on one real Redis; protocol clients
// spread across them. Every case of issue 14 that needs sockets: presence, signals, passwords,
// the wrong-password throttle, tokens, the last-seat race, SIGKILL of a process holding half
// a room, and a Redis restart mid-call.
const SECRET = 'a-shared-secret-of-32-characters';
const TOKEN_SECRET = 'a-token-secret-of-32-characters!';
const GRACE_MS = 3000;
const STATE = { audio: true, video: true, screen: false };
const WAIT_MS = 10_000;

let redis: RedisServer;
const servers = new Map<string, ServerProcess>();
const clients: TestClient[] = [];

async function startNode(node: string): Promise<ServerProcess> {
  const server = await ServerProcess.start(
    ponteFromSource({
      REDIS_URL: redis.url,
      PONTE_NODE_ID: node,
      PONTE_SECRET: SECRET,
      PONTE_TOKEN_SECRET: TOKEN_SECRET,
      PONTE_RECONNECT_GRACE_MS: String(GRACE_MS),
      PONTE_RATE_LIMIT: '0',
      PONTE_MAX_CONNECTIONS_PER_IP: '1000',
    }),
  );
  servers.set(node, server);
  return server;
}

function server(node: string): ServerProcess {
  const found = servers.get(node);
  if (found === undefined) throw new Error(`no server ${node}`);
  return found;
}

async function connect(node: string): Promise<TestClient> {
  const client = await TestClient.connect(server(node).url);
  clients.push(client);
  return client;
}

async function join(node: string, room: string, name: string, extra: object = {}): Promise<{ client: TestClient; joined: JoinedFrame }> {
  const client = await connect(node);
  client.send({ type: 'join', version: PROTOCOL_VERSION, room, name, state: STATE, ...extra });
  return { client, joined: await client.next('joined', WAIT_MS) };
}

async function health(node: string): Promise<{ status: string; node: string; rooms: number; peers: number }> {
  return (await fetch(`${server(node).url}/healthz`)).json() as Promise<{ status: string; node: string; rooms: number; peers: number }>;
}

const relayed = (frame: ServerFrame): boolean => frame.type === 'signal';
const leftOf = (client: TestClient): ServerFrame[] => client.frames.filter((frame) => frame.type === 'peer-left');

describe('three server processes sharing rooms through Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    await Promise.all(['a', 'b', 'c'].map(startNode));
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.ws.terminate();
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await redis?.stop();
  });

  it('reports each process by its node id and the rooms of all', async () => {
    expect(await health('a')).toMatchObject({ status: 'ok', node: 'a', store: { kind: 'redis', connected: true } });
    expect(await health('c')).toMatchObject({ node: 'c' });
  });

  it('lets people on different processes see each other, their state and names, and exchange signals', async () => {
    const ana = await join('a', 'hall', 'Ana');
    const bo = await join('b', 'hall', 'Bo');
    expect(bo.joined.peers).toEqual([{ id: ana.joined.self, name: 'Ana', state: STATE }]);
    expect(await ana.client.next('peer-joined', WAIT_MS)).toMatchObject({ peer: { id: bo.joined.self, name: 'Bo' } });
    bo.client.send({ type: 'update', state: { audio: false, video: true, screen: false }, name: 'Bo B' });
    expect(await ana.client.next('peer-updated', WAIT_MS)).toMatchObject({ peer: { id: bo.joined.self, name: 'Bo B', state: { audio: false } } });
    ana.client.send({ type: 'signal', to: bo.joined.self, data: { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } } });
    expect(await bo.client.waitFor(relayed, WAIT_MS)).toMatchObject({ from: ana.joined.self, data: { kind: 'description' } });
    bo.client.send({ type: 'signal', to: ana.joined.self, data: { kind: 'candidates', candidates: [{ candidate: 'c' }] } });
    expect(await ana.client.waitFor(relayed, WAIT_MS)).toMatchObject({ from: bo.joined.self });
    expect(await health('c')).toMatchObject({ rooms: 1, peers: 2 });
  });

  it('holds a room password, the wrong-password delay and join tokens across processes', async () => {
    await join('a', 'locked', 'Ana', { password: 'open sesame' });
    const wrong = async (node: string): Promise<number> => {
      const client = await connect(node);
      const started = performance.now();
      client.send({ type: 'join', version: PROTOCOL_VERSION, room: 'locked', name: 'Eve', state: STATE, password: 'guess' });
      expect(await client.nextError()).toMatchObject({ code: 'WRONG_PASSWORD' });
      return performance.now() - started;
    };
    // Two free failures on A; the third guess, on B, waits the first delay (1 s by default).
    await wrong('a');
    await wrong('a');
    expect(await wrong('b')).toBeGreaterThanOrEqual(950);
    const right = await join('c', 'locked', 'Cy', { password: 'open sesame' });
    expect(right.joined.peers.map((peer) => peer.name)).toEqual(['Ana']);
    const token = await mintJoinToken({ room: 'locked', name: 'Dee (invited)' }, TOKEN_SECRET);
    const invited = await join('b', 'locked', 'whoever', { token });
    expect(invited.joined.peers.map((peer) => peer.name)).toEqual(['Ana', 'Cy']);
    expect(await right.client.next('peer-joined', WAIT_MS)).toMatchObject({ peer: { name: 'Dee (invited)' } });
  });

  it('gives exactly one of two joins racing on two processes the last seat of a room', async () => {
    for (let round = 0; round < 5; round += 1) {
      const room = `race-${round}`;
      for (let i = 0; i < 7; i += 1) await join(['a', 'b', 'c'][i % 3]!, room, `P${i}`);
      const [b, c] = await Promise.all([connect('b'), connect('c')]);
      for (const client of [b, c]) client.send({ type: 'join', version: PROTOCOL_VERSION, room, name: 'Racer', state: STATE });
      const answers = await Promise.all([b, c].map((client) => client.waitFor((f) => f.type === 'joined' || f.type === 'error', WAIT_MS)));
      expect(answers.map((answer) => answer.type).sort()).toEqual(['error', 'joined']);
      expect(answers.find((answer) => answer.type === 'error')).toMatchObject({ code: 'ROOM_FULL' });
    }
  });

  it('resumes the peers of a process killed with SIGKILL on the others, with the signals sent meanwhile; tells the room about one that does not return', async () => {
    const room = 'half';
    const [ana, ari, abe] = [await join('a', room, 'Ana'), await join('a', room, 'Ari'), await join('a', room, 'Abe')];
    const bo = await join('b', room, 'Bo');
    const cy = await join('c', room, 'Cy');
    // Each has seen the joins after its own.
    const received = (frames: ServerFrame[]): number => frames.filter((f) => f.type !== 'joined' && f.type !== 'resumed').length;
    await ana.client.waitFor((f) => f.type === 'peer-joined' && f.peer.name === 'Cy', WAIT_MS);
    await ari.client.waitFor((f) => f.type === 'peer-joined' && f.peer.name === 'Cy', WAIT_MS);

    server('a').child.kill('SIGKILL');
    await server('a').exited;
    // Bo signals Ana at once, while her process is gone (logged in Redis before it is sent anywhere).
    bo.client.send({ type: 'signal', to: ana.joined.self, data: { kind: 'candidates', candidates: [{ candidate: 'while away' }] } });
    await bo.client.barrier();

    // Ana resumes on B and Ari on C, with their resume tokens and the frames they had.
    const resume = async (node: string, who: { client: TestClient; joined: JoinedFrame }, name: string): Promise<TestClient> => {
      const client = await connect(node);
      client.send({
        type: 'resume',
        version: PROTOCOL_VERSION,
        token: who.joined.resumeToken,
        name,
        state: STATE,
        received: received(who.client.frames),
      });
      return client;
    };
    const anaBack = await resume('b', ana, 'Ana');
    const ariBack = await resume('c', ari, 'Ari');
    expect(await anaBack.next('resumed', WAIT_MS)).toMatchObject({ self: ana.joined.self, lapsed: false });
    expect(await ariBack.next('resumed', WAIT_MS)).toMatchObject({ self: ari.joined.self, lapsed: false });
    expect(await anaBack.waitFor(relayed, WAIT_MS)).toMatchObject({ from: bo.joined.self, data: { candidates: [{ candidate: 'while away' }] } });

    // Abe never comes back: once A's lease lapses and the grace ends, the others are told, once.
    const abeLeft = (f: ServerFrame): boolean => f.type === 'peer-left' && f.peer === abe.joined.self;
    expect(await cy.client.waitFor(abeLeft, 5000 + GRACE_MS + WAIT_MS)).toMatchObject({ reason: 'disconnected' });
    await bo.client.waitFor(abeLeft, WAIT_MS);
    expect(leftOf(bo.client).map((f) => f.type === 'peer-left' && f.peer)).toEqual([abe.joined.self]);
    expect(leftOf(cy.client).map((f) => f.type === 'peer-left' && f.peer)).toEqual([abe.joined.self]);
    expect((await health('b')).rooms).toBeGreaterThanOrEqual(1);

    // Signals reach the resumed peers on their new processes.
    cy.client.send({ type: 'signal', to: ari.joined.self, data: { kind: 'candidates', candidates: [{ candidate: 'hello again' }] } });
    expect(await ariBack.waitFor(relayed, WAIT_MS)).toMatchObject({ from: cy.joined.self });
    await startNode('a');
  }, 60_000);

  it('survives a Redis restart mid-call: everyone is put back, counts are right, a new joiner sees them all', async () => {
    const room = 'restart';
    const ana = await join('a', room, 'Ana');
    const bo = await join('b', room, 'Bo');
    const cy = await join('c', room, 'Cy');
    const before = await health('a');
    await redis.restart();
    // Signaling is back within seconds: a newcomer on any process sees the three.
    const deadline = Date.now() + 10_000;
    let dee: JoinedFrame | undefined;
    while (dee === undefined) {
      const client = await connect('b');
      client.send({ type: 'join', version: PROTOCOL_VERSION, room, name: 'Dee', state: STATE });
      const answer = await client.waitFor((f) => f.type === 'joined' || f.type === 'error', WAIT_MS);
      if (answer.type === 'joined' && answer.peers.length === 3) dee = answer;
      else {
        client.ws.terminate();
        if (Date.now() > deadline) throw new Error(`not back after a Redis restart: ${JSON.stringify(answer)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(dee.peers.map((peer) => peer.name).sort()).toEqual(['Ana', 'Bo', 'Cy']);
    expect((await health('c')).peers).toBe(before.peers + 1);
    for (const client of [ana.client, bo.client, cy.client]) {
      await client.waitFor((f) => f.type === 'peer-joined' && f.peer.name === 'Dee', WAIT_MS);
    }
    ana.client.send({ type: 'signal', to: cy.joined.self, data: { kind: 'candidates', candidates: [{ candidate: 'after' }] } });
    expect(await cy.client.waitFor(relayed, WAIT_MS)).toMatchObject({ from: ana.joined.self });
  }, 60_000);
});
