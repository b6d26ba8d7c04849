// PeerJS's own signaling server (`peer` from npm) on 127.0.0.1:PORT, its WebSocket at
// /peerjs?key=peerjs&id=<id>&token=<token>. The concurrent limit is raised for the capacity bench.
//
//   PORT=9000 node bench/lib/peerServer.mjs
import { PeerServer } from 'peer';

const port = Number(process.env.PORT ?? 9000);
PeerServer({ port, host: '127.0.0.1', path: '/', concurrent_limit: 1_000_000 });
process.on('SIGTERM', () => process.exit(0));
