// A child process of the scale-out bench that opens idle joined Ponte connections and holds
// them until told to close: one process cannot hold 20,000 sockets under the file-descriptor
// limit (`ulimit -n`, 20,000 here), so the bench forks several of these.
//
// Message in (IPC): `{ type: 'open', ports, firstRoom, rooms, concurrency }`: rooms firstRoom..firstRoom+rooms-1
// of two peers each, the first joining on ports[k % n] and the second on ports[(k + 1) % n], so
// with two processes every room has one peer on each. Messages out: `{ type: 'ready', count }`
// or `{ type: 'error', message }`. `{ type: 'close' }` (or the parent going away) ends it.
import { openClient } from '../lib/clients.mjs';

const sockets = [];

function end() {
  for (const socket of sockets) socket.terminate();
  process.exit(0);
}

process.on('disconnect', end);
process.on('message', (message) => {
  if (message.type === 'close') return end();
  if (message.type !== 'open') return;
  open(message).then(
    () => process.send({ type: 'ready', count: sockets.length }),
    (error) => process.send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});

async function openRoom(ports, k) {
  const room = `cap-${k}`;
  const a = await openClient('ponte', ports[k % ports.length], { id: `a${k}`, room });
  sockets.push(a.socket);
  const b = await openClient('ponte', ports[(k + 1) % ports.length], { id: `b${k}`, room });
  sockets.push(b.socket);
}

async function open({ ports, firstRoom, rooms, concurrency }) {
  for (let start = 0; start < rooms; start += concurrency) {
    const batch = [];
    for (let k = start; k < Math.min(rooms, start + concurrency); k++) batch.push(openRoom(ports, firstRoom + k));
    await Promise.all(batch);
  }
}
