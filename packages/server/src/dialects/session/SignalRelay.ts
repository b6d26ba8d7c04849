import type { ErrorCode, PeerId, RoomId } from '@ponte/protocol';
import type { RoomRegistry } from '../../rooms/RoomRegistry.js';
import type { ServerMetrics } from '../../observability/ServerMetrics.js';
import type { MessageCommand, SignalCommand } from '../Dialect.js';

/** The session a signal comes from, as the relay answers it. */
export interface SignalSender {
  fail(code: ErrorCode, message: string, ref?: string): void;
}

/**
 * The relay of signals between the peers of a room: the hot path of the server. One per
 * server. The data goes on as the bytes the sender wrote (see {@link SignalCommand.data}).
 */
export class SignalRelay {
  readonly #registry: RoomRegistry;
  readonly #metrics: ServerMetrics | undefined;

  /** Relays through `registry`, counting latency in `metrics`. */
  constructor(registry: RoomRegistry, metrics: ServerMetrics | undefined) {
    this.#registry = registry;
    this.#metrics = metrics;
  }

  /**
   * Relays `signal` from `from` in `room`; a peer not in the room is answered `UNKNOWN_PEER`.
   * `received` is when the frame came in (`performance.now()` time), for the latency metric.
   */
  relay(sender: SignalSender, signal: SignalCommand, room: RoomId, from: PeerId, received: number): Promise<void> | void {
    const relayed = this.#registry.signal(room, from, signal.to, signal.data);
    // The in-memory bus answers at once: no closure for the common case.
    if (typeof relayed === 'boolean') return this.#settled(sender, relayed, signal.to, room, received);
    return relayed.then((delivered) => this.#settled(sender, delivered, signal.to, room, received));
  }

  /** Relays a `message` from `from` in `room`; targets not in the room are named in one `UNKNOWN_PEER`. */
  async message(sender: SignalSender, message: MessageCommand, room: RoomId, from: PeerId): Promise<void> {
    const strangers = await this.#registry.message(room, from, message.to, message.data);
    if (strangers.length > 0) sender.fail('UNKNOWN_PEER', `not in room ${room}: ${strangers.join(', ')}`, 'message');
  }

  #settled(sender: SignalSender, delivered: boolean, to: PeerId, room: RoomId, received: number): void {
    if (delivered) this.#metrics?.relayed((performance.now() - received) / 1000);
    else sender.fail('UNKNOWN_PEER', `peer ${to} is not in room ${room}`, 'signal');
  }
}
