import type { PeerId, PeerInfo, RoomId } from '@ponte/protocol';
import type { RoomJoinConditions, RoomJoinResult, RoomRecord, RoomStats, RoomStore } from '@ponte/server';
import type { RedisLink } from './RedisLink.js';

/** Members as Redis keeps them, `<join sequence>\n<PeerInfo JSON>`, in join order. */
export function membersInOrder(values: string[]): PeerInfo[] {
  return values
    .map((value) => {
      const newline = value.indexOf('\n');
      return { sequence: Number(value.slice(0, newline)), peer: JSON.parse(value.slice(newline + 1)) as PeerInfo };
    })
    .sort((a, b) => a.sequence - b.sequence)
    .map((entry) => entry.peer);
}

const REFUSALS = new Set(['full', 'rooms', 'peers', 'changed']);

/**
 * The {@link RoomStore} over Redis: a room's members in a hash, its password hash beside it,
 * counts in one hash, each change one Lua script, so two processes racing for the last seat
 * of a room get exactly one peer in.
 */
export class RedisRoomStore implements RoomStore {
  readonly #link: RedisLink;

  constructor(link: RedisLink) {
    this.#link = link;
  }

  /** @inheritDoc */
  async join(room: RoomId, peer: PeerInfo, maxPeersPerRoom: number, conditions: RoomJoinConditions = {}): Promise<RoomJoinResult> {
    const expect = conditions.expectPasswordHash === undefined ? '-' : (conditions.expectPasswordHash ?? '');
    const answer = (await this.#link.run(
      'ponteJoin',
      room,
      peer.id,
      JSON.stringify(peer),
      Math.min(maxPeersPerRoom, Number.MAX_SAFE_INTEGER),
      expect,
      conditions.create?.passwordHash ?? '',
      conditions.maxRooms ?? '',
      conditions.maxPeersPerServer ?? '',
    )) as string[];
    const [verdict, ...members] = answer;
    if (verdict !== 'ok') {
      if (verdict !== undefined && REFUSALS.has(verdict)) return { ok: false, reason: verdict as 'full' | 'rooms' | 'peers' | 'changed' };
      throw new Error(`unexpected answer from the join script: ${String(verdict)}`);
    }
    return { ok: true, peers: membersInOrder(members) };
  }

  /** @inheritDoc */
  async leave(room: RoomId, peerId: PeerId): Promise<boolean> {
    return (await this.#link.run('ponteLeave', room, peerId)) === 1;
  }

  /** @inheritDoc */
  async update(room: RoomId, peer: PeerInfo): Promise<boolean> {
    return (await this.#link.run('ponteUpdate', room, peer.id, JSON.stringify(peer))) === 1;
  }

  /** @inheritDoc */
  async members(room: RoomId): Promise<PeerInfo[]> {
    return membersInOrder(await this.#link.commands.hvals(this.#link.keys.members(room)));
  }

  /** @inheritDoc */
  async room(room: RoomId): Promise<RoomRecord | undefined> {
    const { keys, commands } = this.#link;
    const [exists, passwordHash] = await Promise.all([commands.exists(keys.members(room)), commands.get(keys.password(room))]);
    if (exists === 0) return undefined;
    return passwordHash === null ? {} : { passwordHash };
  }

  /** @inheritDoc */
  async stats(): Promise<RoomStats> {
    const [rooms, peers] = await this.#link.commands.hmget(this.#link.keys.stats, 'rooms', 'peers');
    return { rooms: Number(rooms ?? 0), peers: Number(peers ?? 0) };
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    // The connections belong to the adapter, which closes them.
  }
}
