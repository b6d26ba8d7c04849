import { randomBytes } from 'node:crypto';
import type { LeaveReason, PeerId, PeerInfo, RoomId, ServerFrame } from '@ponte/protocol';
import { encodeMessage, encodeServerFrame, encodeSignal, type EncodedFrame } from './EncodedFrame.js';
import type { PeerBus } from './PeerBus.js';
import type { RoomAdapter } from './RoomAdapter.js';
import { admittedRecord, type RoomStats, type RoomStore } from './RoomStore.js';
import { newLocalPeer, type LocalPeer, type Unfinished } from './LocalPeer.js';
import type { JoinRequest, PeerSink, RegistryJoinResult, RegistryResumeResult, ResumeRequest } from './roomRequests.js';
import type { Replay, SessionStore } from './SessionStore.js';

export type { JoinRequest, PeerSink, RegistryJoinResult, RegistryResumeResult, ResumeRequest } from './roomRequests.js';

/** Options of a {@link RoomRegistry}. */
export interface RoomRegistryOptions {
  /** The room seams: membership, delivery, sessions. */
  adapter: RoomAdapter;
  /** The most peers one room admits. */
  maxPeersPerRoom: number;
  /** Mints a peer id. Default: 12 random bytes as base64url (16 characters). */
  mintPeerId?: () => PeerId;
  /** How long a broken connection's membership is held for it to resume, in ms. Default 0 (not held). */
  reconnectGraceMs?: number;
  /**
   * How often the registry sweeps the holds whose grace ended wherever they were made (a
   * process that held them may have died), in ms. Default 1000.
   */
  sweepIntervalMs?: number;
  /**
   * Told, after the room heard of it, that a peer joined or left `room` through this process
   * (the SFU broker re-decides the room's topology); awaited, so a newcomer's `joined` already
   * carries the topology its arrival gave the room. Must not reject.
   */
  onMembershipChange?: (room: RoomId) => Promise<void>;
}

/** Mints an unguessable, URL-safe peer id of 16 characters. */
export function mintPeerId(): PeerId {
  return randomBytes(12).toString('base64url');
}

/**
 * The rooms as this process sees them, and the policy over the room seams: mints peer ids,
 * keeps the sinks of locally connected peers, runs their grace timers, and turns joins,
 * leaves, updates and signals into {@link RoomStore}, {@link PeerBus} and
 * {@link SessionStore} calls and room events. It knows nothing about sockets or the wire.
 */
export class RoomRegistry {
  readonly #adapter: RoomAdapter;
  readonly #store: RoomStore;
  readonly #bus: PeerBus;
  readonly #sessions: SessionStore;
  readonly #maxPeersPerRoom: number;
  readonly #mintPeerId: () => PeerId;
  readonly #graceMs: number;
  readonly #onMembershipChange: ((room: RoomId) => Promise<void>) | undefined;
  readonly #local = new Map<PeerId, LocalPeer>();
  /** Peers let go while the store could not be reached: retried at each sweep until done. */
  readonly #unfinished = new Map<PeerId, Unfinished>();
  readonly #sweeper: NodeJS.Timeout;

  /** Creates a registry and registers it as the bus's delivery handler. */
  constructor(options: RoomRegistryOptions) {
    this.#adapter = options.adapter;
    ({ store: this.#store, bus: this.#bus, sessions: this.#sessions } = options.adapter);
    this.#maxPeersPerRoom = options.maxPeersPerRoom;
    this.#mintPeerId = options.mintPeerId ?? mintPeerId;
    this.#graceMs = options.reconnectGraceMs ?? 0;
    this.#onMembershipChange = options.onMembershipChange;
    this.#bus.setDeliveryHandler((peerId, frame, logged) => this.#receive(peerId, frame, logged));
    this.#bus.setSupersedeHandler?.((peerId, epoch) => this.#supersededElsewhere(peerId, epoch));
    this.#adapter.setRestoreHandler?.(() => this.#restore());
    this.#sweeper = setInterval(() => void this.#sweep(), options.sweepIntervalMs ?? 1000);
    this.#sweeper.unref();
  }

  /** The most peers one room admits. */
  get maxPeersPerRoom(): number {
    return this.#maxPeersPerRoom;
  }

  /**
   * Adds a new peer to a room. On success the others have already been sent `peer-joined`
   * when this resolves, and the sink receives every later frame addressed to the peer.
   */
  async join(request: JoinRequest): Promise<RegistryJoinResult> {
    const { room, name, state, sink, onSuperseded, admission } = request;
    const self: PeerInfo = { id: this.#mintPeerId(), name, state };
    // Here before the store admits the peer, so that nothing addressed to it is lost.
    const local = newLocalPeer(room, self, admittedRecord(admission), sink);
    this.#local.set(self.id, local);
    let result;
    try {
      await this.#bus.register(self.id);
      local.epoch = (await this.#sessions.attach(self.id, room)).epoch;
      result = await this.#store.join(room, self, this.#maxPeersPerRoom, admission);
    } catch (error) {
      await this.#abandon(self.id, local, false);
      throw error;
    }
    if (!result.ok) {
      await this.#abandon(self.id, local, false);
      return result;
    }
    local.onSuperseded = onSuperseded;
    await this.#broadcast(room, { type: 'peer-joined', peer: self }, self.id);
    await this.#onMembershipChange?.(room);
    return { ok: true, self, peers: result.peers };
  }

  /**
   * Removes a peer from its room and tells the others `peer-left` with `reason`. With `sink`,
   * only if that sink still speaks for the peer, and in any case only if no connection has
   * attached for it since (a resumed peer's old connection does not take it out of the room).
   */
  async leave(room: RoomId, peerId: PeerId, reason: LeaveReason, sink?: PeerSink): Promise<void> {
    const local = this.#local.get(peerId);
    if (sink !== undefined && local?.sink !== sink) return;
    this.#forgetLocal(peerId);
    await this.#letGo({ room, peerId, reason, epoch: local?.epoch, released: false, retry: false });
  }

  /**
   * The connection behind `sink` broke without a goodbye: keep the peer in its room for the
   * grace period, logging its frames, then let it go as `disconnected`.
   */
  async detach(room: RoomId, peerId: PeerId, sink: PeerSink): Promise<void> {
    const local = this.#local.get(peerId);
    if (local === undefined || local.sink !== sink) return;
    if (this.#graceMs === 0) return this.leave(room, peerId, 'disconnected');
    local.sink = undefined;
    local.onSuperseded = undefined;
    const timer = setTimeout(() => void this.#expire(room, peerId, local, timer), this.#graceMs);
    timer.unref();
    local.timer = timer;
    local.deadline = Date.now() + this.#graceMs;
    const hold = { room, epoch: local.epoch, deadline: local.deadline };
    // Unreachable store: the sweeps store the hold once it is back (see #sweep).
    const stored = await this.#sessions.hold(peerId, hold).catch(() => undefined);
    if (stored === undefined) return;
    local.holdStored = true;
    if (!stored && this.#local.get(peerId) === local) {
      // Another connection attached for the peer meanwhile, elsewhere: it is no longer ours.
      this.#forgetLocal(peerId);
      await this.#bus.unregister(peerId);
    }
  }

  /**
   * Brings a peer back into its room after a lost connection: from a grace hold, from an
   * older connection that has not let go (which is superseded), here or on another process,
   * or, when no process has a trace of it (a restart), by re-admitting it under the same id.
   */
  async resume(request: ResumeRequest): Promise<RegistryResumeResult> {
    const { room, peer, received, sink, onSuperseded, admission } = request;
    const previous = this.#local.get(peer.id);
    if (previous?.timer !== undefined) clearTimeout(previous.timer);
    // Until the replay is taken the peer's frames are logged but go nowhere: they are replayed.
    const local = newLocalPeer(room, peer, admittedRecord(admission), undefined);
    this.#local.set(peer.id, local);
    previous?.onSuperseded?.();
    let attached;
    try {
      await this.#bus.register(peer.id);
      attached = await this.#sessions.attach(peer.id, room);
    } catch (error) {
      await this.#abandon(peer.id, local, false);
      throw error;
    }
    local.epoch = attached.epoch;
    let replay: Replay = { from: 0, frames: [] };
    if (attached.resumes !== 'none') {
      // Frames that come while the replay is taken wait: those it holds already are dropped.
      local.pending = [];
      local.sink = sink;
      replay = await this.#sessions.since(peer.id, received);
      this.#flushPending(local, replay.from + replay.frames.length);
    } else {
      local.sink = sink;
      let result;
      try {
        result = await this.#store.join(room, peer, this.#maxPeersPerRoom, admission);
      } catch (error) {
        await this.#abandon(peer.id, local, attached.lapsed);
        throw error;
      }
      if (!result.ok) {
        await this.#abandon(peer.id, local, attached.lapsed);
        return result;
      }
      // Peers that kept their connection to it recognise the id and keep it.
      await this.#broadcast(room, { type: 'peer-joined', peer }, peer.id);
    }
    local.onSuperseded = onSuperseded;
    if (await this.#store.update(room, peer)) {
      await this.#broadcast(room, { type: 'peer-updated', peer }, peer.id);
    }
    const peers = (await this.#store.members(room)).filter((member) => member.id !== peer.id);
    return { ok: true, peers, lapsed: attached.lapsed, replay: replay.frames, replayFrom: replay.from };
  }

  /** Stores a peer's new info and tells the others `peer-updated`. */
  async update(room: RoomId, peer: PeerInfo): Promise<void> {
    const local = this.#local.get(peer.id);
    if (local !== undefined) local.info = peer;
    if (await this.#store.update(room, peer)) {
      await this.#broadcast(room, { type: 'peer-updated', peer }, peer.id);
    }
  }

  /**
   * Relays signaling data from `from` to `to`, stamping `from`. `data` is the JSON text of a
   * validated `SignalData`, relayed as it is. Resolves false, and relays nothing, unless `to`
   * is another member of `room`. Answers at once when the bus does.
   */
  signal(room: RoomId, from: PeerId, to: PeerId, data: Buffer): boolean | Promise<boolean> {
    if (to === from) return false;
    return this.#bus.deliver(room, to, encodeSignal(from, data));
  }

  /**
   * Relays a message (`data`: validated JSON text) from `from` to the peers `to` names, or to
   * every other member of `room`. Resolves the peers of `to` that are not in the room (they
   * got nothing); the others got it.
   */
  async message(room: RoomId, from: PeerId, to: readonly PeerId[] | undefined, data: Buffer): Promise<PeerId[]> {
    const frame = encodeMessage(from, data);
    if (to === undefined) {
      await this.#bus.broadcast(room, frame, from);
      return [];
    }
    // To every target at once: over Redis each delivery is a round trip.
    const targets = [...new Set(to)];
    const delivered = await Promise.all(targets.map(async (peer) => peer !== from && (await this.#bus.deliver(room, peer, frame))));
    return targets.filter((_, index) => !delivered[index]);
  }

  /** The members of a room, in the order they joined. */
  members(room: RoomId): Promise<PeerInfo[]> {
    return this.#store.members(room);
  }

  /** Tells every member of `room` (wherever its socket is) a frame of the server's, e.g. a new `topology`. */
  announce(room: RoomId, frame: ServerFrame): Promise<void> {
    return this.#broadcast(room, frame);
  }

  /** Room and peer counts, from the store. */
  stats(): Promise<RoomStats> {
    return this.#store.stats();
  }

  /** Number of peers connected to this process (held ones not counted). */
  get localPeers(): number {
    let count = 0;
    for (const local of this.#local.values()) if (local.sink !== undefined) count += 1;
    return count;
  }

  /** Stops the grace timers and the sweeps, and closes the adapter. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    for (const local of this.#local.values()) clearTimeout(local.timer);
    this.#local.clear();
    await this.#adapter.close();
  }

  #broadcast(room: RoomId, frame: ServerFrame, exceptPeerId?: PeerId): Promise<void> {
    return this.#bus.broadcast(room, encodeServerFrame(frame), exceptPeerId);
  }

  /** A frame from the bus: logged for replay, and handed to the peer's sink unless it is held. */
  #receive(peerId: PeerId, frame: EncodedFrame, logged?: number): void {
    const local = this.#local.get(peerId);
    if (local === undefined) return;
    if (logged === undefined) this.#sessions.record(peerId, frame);
    if (local.pending !== undefined) {
      local.pending.push({ frame, logged });
      return;
    }
    if (logged !== undefined) {
      if (logged < local.next) return; // replayed already
      local.next = logged + 1;
    }
    local.sink?.(frame);
  }

  /** The replay is taken (it ends before index `next`): passes on the frames that waited, but those it holds. */
  #flushPending(local: LocalPeer, next: number): void {
    const pending = local.pending ?? [];
    local.pending = undefined;
    local.next = Math.max(local.next, next);
    for (const { frame, logged } of pending) {
      if (logged !== undefined && logged < local.next) continue;
      if (logged !== undefined) local.next = logged + 1;
      local.sink?.(frame);
    }
  }

  /** A connection of the peer attached on another process: an older one here gives way. */
  #supersededElsewhere(peerId: PeerId, epoch: number): void {
    const local = this.#local.get(peerId);
    if (local === undefined || local.epoch >= epoch) return;
    const onSuperseded = local.onSuperseded;
    this.#forgetLocal(peerId);
    onSuperseded?.();
  }

  /** The grace of a hold this process made is over; the SessionStore decides by its epoch. */
  async #expire(room: RoomId, peerId: PeerId, local: LocalPeer, timer: NodeJS.Timeout): Promise<void> {
    if (this.#local.get(peerId) !== local || local.timer !== timer) return;
    this.#forgetLocal(peerId);
    try {
      // False when the peer resumed since, on another process: this stale timer removes nothing.
      if (!(await this.#sessions.expire(peerId, local.epoch))) return await this.#bus.unregister(peerId);
    } catch {
      // The store is unreachable: let the peer go once it is back (a sweep may do it first).
      this.#unfinished.set(peerId, { room, peerId, reason: 'disconnected', epoch: local.epoch, released: false, retry: true });
      return;
    }
    await this.#letGo({ room, peerId, reason: 'disconnected', epoch: local.epoch, released: true, retry: false }).catch(() => {});
  }

  /**
   * Lets a peer go: ends its session (unless `released`: done already) under the epoch rule,
   * takes it out of its room and tells the others. When the store cannot be reached it is
   * kept in {@link #unfinished} and retried by the sweeps, so nobody stays in a room for ever.
   */
  async #letGo(work: Unfinished): Promise<void> {
    const { room, peerId, reason, epoch } = work;
    try {
      if (!work.released) {
        const current = await this.#sessions.release(peerId, epoch, reason !== 'left');
        work.released = true;
        // Another connection attached for the peer since: it stays. (Retried after the store
        // lost the session, the peer stays only if it is a member again: it resumed.)
        if (epoch !== undefined && !current && (!work.retry || (await this.#isMember(room, peerId)))) {
          this.#unfinished.delete(peerId);
          return;
        }
      }
      await this.#bus.unregister(peerId);
      // On a retry the others are told even if the store had lost the member (it restarted).
      if ((await this.#store.leave(room, peerId)) || work.retry) {
        await this.#broadcast(room, { type: 'peer-left', peer: peerId, reason });
        await this.#onMembershipChange?.(room);
      }
      this.#unfinished.delete(peerId);
    } catch (error) {
      this.#unfinished.set(peerId, { ...work, retry: true });
      throw error;
    }
  }

  async #removeMember(room: RoomId, peerId: PeerId, reason: LeaveReason): Promise<void> {
    await this.#letGo({ room, peerId, reason, epoch: undefined, released: true, retry: false });
  }

  async #isMember(room: RoomId, peerId: PeerId): Promise<boolean> {
    return (await this.#store.members(room)).some((member) => member.id === peerId);
  }

  /**
   * Every `sweepIntervalMs`: removes the peers whose holds ended wherever they were made, and
   * finishes what an unreachable store left undone (holds not stored, peers not let go).
   */
  async #sweep(): Promise<void> {
    let ended;
    try {
      ended = await this.#sessions.sweep();
    } catch {
      return; // The store is unreachable: the next sweep tries again.
    }
    for (const { peerId, room } of ended) {
      const local = this.#local.get(peerId);
      if (local !== undefined && local.sink === undefined) this.#forgetLocal(peerId);
      await this.#removeMember(room, peerId, 'disconnected').catch(() => {});
    }
    for (const [peerId, local] of [...this.#local]) {
      if (local.deadline === undefined || local.holdStored) continue;
      const stored = await this.#sessions.hold(peerId, { room: local.room, epoch: local.epoch, deadline: local.deadline }).catch(() => undefined);
      if (stored !== undefined) local.holdStored = true;
    }
    for (const work of [...this.#unfinished.values()]) {
      if (!this.#local.has(work.peerId)) await this.#letGo(work).catch(() => {});
    }
  }

  /**
   * Puts back what a shared store lost (it restarted empty, or took this process for dead):
   * each peer this process speaks for is registered, attached (a new epoch), held again if it
   * is away, and a member of its room again (recreating the room's record if the room is
   * gone); removals that failed meanwhile are done now.
   */
  async #restore(): Promise<void> {
    for (const [peerId, local] of [...this.#local]) {
      await this.#bus.register(peerId);
      const { epoch, resumes } = await this.#sessions.attach(peerId, local.room);
      if (this.#local.get(peerId) !== local) continue;
      local.epoch = epoch;
      // A store that lost the session starts a fresh replay log.
      if (resumes === 'none') local.next = 0;
      if (local.deadline !== undefined) {
        local.holdStored = await this.#sessions.hold(peerId, { room: local.room, epoch, deadline: local.deadline });
      }
      await this.#store.join(local.room, local.info, Number.MAX_SAFE_INTEGER, { create: local.record });
    }
  }

  /** Undoes a join or resume that did not get in (or failed). */
  async #abandon(peerId: PeerId, local: LocalPeer, lapsed: boolean): Promise<void> {
    if (this.#local.get(peerId) !== local) return;
    this.#forgetLocal(peerId);
    await Promise.allSettled([this.#bus.unregister(peerId), this.#sessions.release(peerId, local.epoch, lapsed)]);
  }

  #forgetLocal(peerId: PeerId): void {
    clearTimeout(this.#local.get(peerId)?.timer);
    this.#local.delete(peerId);
  }
}
