import type { PeerId, RoomId } from '@ponte/protocol';

/**
 * The names of everything Ponte keeps in Redis, under one prefix (default `ponte:`), so one
 * Redis can serve several deployments or test runs side by side. docs/scaling.md lists them.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** HASH peer id → `<join sequence>\n<PeerInfo JSON>`: a room's members. */
  members(room: RoomId): string {
    return `${this.prefix}room:${room}:members`;
  }
  /** STRING: the salted hash of a room's password, while the room exists and has one. */
  password(room: RoomId): string {
    return `${this.prefix}room:${room}:password`;
  }
  /** HASH `rooms`, `peers`: counts over every room. */
  get stats(): string {
    return `${this.prefix}stats`;
  }
  /** STRING counter: the join sequence that orders a room's members. */
  get joinSequence(): string {
    return `${this.prefix}join-sequence`;
  }
  /** STRING: the node whose process receives a peer's frames. */
  owner(peer: PeerId): string {
    return `${this.prefix}peer:${peer}:node`;
  }
  /** HASH `room`, `epoch`, `node`, `n` (frames logged), and while held `hold`, `deadline`. */
  session(peer: PeerId): string {
    return `${this.prefix}peer:${peer}:session`;
  }
  /** LIST: the last frames delivered to a peer, `<type>\n<bytes>` each. */
  log(peer: PeerId): string {
    return `${this.prefix}peer:${peer}:log`;
  }
  /** STRING, with a TTL: until when (ms) a peer that was let go is remembered as lapsed. */
  lapsed(peer: PeerId): string {
    return `${this.prefix}peer:${peer}:lapsed`;
  }
  /** STRING counter: the last connection epoch given out. */
  get epoch(): string {
    return `${this.prefix}epoch`;
  }
  /** ZSET peer id by hold deadline (ms): every grace hold in the cluster. */
  get holds(): string {
    return `${this.prefix}holds`;
  }
  /** SET: the nodes that have announced themselves. */
  get nodes(): string {
    return `${this.prefix}nodes`;
  }
  /** STRING with a TTL (the lease): present while the node's process is alive. */
  lease(node: string): string {
    return `${this.prefix}node:${node}:lease`;
  }
  /** SET: the peers whose sessions a node speaks for (connected to it or held by it). */
  nodePeers(node: string): string {
    return `${this.prefix}node:${node}:peers`;
  }
  /** STRING counter with a TTL: wrong room passwords from one address for one room (`<room>:<address>`). */
  passwordFailures(key: string): string {
    return `${this.prefix}password-failures:${key}`;
  }
  /** Pub/sub channel: frames for the peers registered on a node. */
  channel(node: string): string {
    return `${this.prefix}node:${node}:frames`;
  }
}
