// The floor: a bare `ws` relay. It assigns each connection an id (the `id` query parameter,
// or a counter), tells the client `{type:'id', id}`, parses each frame as JSON and forwards
// its `data` to `to` as `{from, data}`; nothing else (no rooms, validation, limits or logging).
// A fresh object is serialized rather than the parsed one with `to` deleted: `delete` turns
// the object into a slow dictionary and would make the floor costlier than it need be.
//
//   PORT=8080 node bench/lib/bareRelay.mjs
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const clients = new Map();
let next = 0;
const wss = new WebSocketServer({ port, host: '127.0.0.1' });
wss.on('connection', (socket, request) => {
  const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? String(next++);
  clients.set(id, socket);
  socket.on('close', () => clients.delete(id));
  socket.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    const target = clients.get(frame.to);
    if (target === undefined) return;
    target.send(JSON.stringify({ from: id, data: frame.data }));
  });
  socket.send(JSON.stringify({ type: 'id', id }));
});
process.on('SIGTERM', () => process.exit(0));
