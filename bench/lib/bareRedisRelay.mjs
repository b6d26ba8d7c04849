// The floor of a relay shared through Redis: bareRelay.mjs's bare `ws` relay, run as several
// processes on one Redis with the least any such relay does per frame, one PUBLISH. Each
// process subscribes to its node's channel and records each of its clients' nodes in Redis
// once, at connection; a frame for a client of another process is published, as
// `<to>\n<frame JSON>`, to that process's channel (its node read from Redis once, then kept).
// No rooms, membership check, replay log, validation or limits; ioredis on both connections,
// like Ponte's, so the two differ by what Ponte does, not by the client library.
//
//   PORT=8080 REDIS_URL=redis://127.0.0.1:6379 NODE=a node bench/lib/bareRedisRelay.mjs
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const node = process.env.NODE ?? 'a';
const channelOf = (name) => `floor:node:${name}`;
const commands = new Redis(process.env.REDIS_URL, { enableAutoPipelining: true });
const subscriber = new Redis(process.env.REDIS_URL);
const clients = new Map();
const nodes = new Map();
let next = 0;

await subscriber.subscribe(channelOf(node));
subscriber.on('messageBuffer', (_channel, message) => {
  const newline = message.indexOf(0x0a);
  clients.get(message.toString('utf8', 0, newline))?.send(message.subarray(newline + 1), { binary: false });
});

/** The node of client `id`, read from Redis the first time and kept. */
async function nodeOf(id) {
  let found = nodes.get(id);
  if (found === undefined) {
    found = await commands.get(`floor:client:${id}`);
    if (found !== null) nodes.set(id, found);
  }
  return found;
}

const wss = new WebSocketServer({ port, host: '127.0.0.1' });
wss.on('connection', (socket, request) => {
  const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? `${node}${next++}`;
  clients.set(id, socket);
  socket.on('close', () => clients.delete(id));
  socket.on('message', async (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    const out = JSON.stringify({ from: id, data: frame.data });
    const local = clients.get(frame.to);
    if (local !== undefined) return local.send(out);
    const target = await nodeOf(frame.to);
    if (target !== null) await commands.publish(channelOf(target), `${frame.to}\n${out}`);
  });
  commands.set(`floor:client:${id}`, node).then(() => socket.send(JSON.stringify({ type: 'id', id })));
});
process.on('SIGTERM', () => process.exit(0));
