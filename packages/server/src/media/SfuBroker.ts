import { LIMITS, type ErrorCode, type PeerId, type RoomId, type TopologyMode } from '@ponte/protocol';
import type { Logger } from 'pino';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { SfuCommand, SfuEvent } from '../dialects/Dialect.js';
import { SfuError, type SfuBridge, type SfuBridgeEvents } from './SfuBridge.js';
import { nextTopology, TOPOLOGY_DEFAULTS, type TopologyOptions } from './TopologyPolicy.js';

/** A participant's session as the broker sees it: where its SFU answers and news go. */
export interface SfuParticipant {
  /** Sends one of the broker's frames to the participant's client. */
  sendSfu(event: SfuEvent): void;
  /** Answers the client with an error. */
  fail(code: ErrorCode, message: string, ref?: string): void;
}

/** What a {@link SfuBroker} is built from. */
export interface SfuBrokerOptions {
  bridge: SfuBridge;
  /** When rooms switch. Default {@link TOPOLOGY_DEFAULTS}. */
  topology?: TopologyOptions;
  /** While the SFU cannot be reached, rooms of at most this many people fall back to a mesh. Default 8. */
  meshMaxPeers?: number;
  log: Logger;
}

/**
 * The server's side of the SFU, one per server process: decides each room's topology
 * ({@link nextTopology}) as people come and go and tells the room (`topology`), and brokers the
 * `sfu-*` requests of this process's participants to the {@link SfuBridge} and its answers and
 * news back to them. Browsers never reach the SFU's API: every request passes the session's
 * checks (joined, its token's permissions) first.
 *
 * Topologies are kept per process: with several processes (Redis), each decides for the
 * changes it sees, from the member count in the shared store (docs/sfu.md, "Limits"). While
 * the SFU cannot be reached, rooms that fit a mesh fall back to one, and go back to the SFU
 * when it returns.
 */
export class SfuBroker {
  readonly #bridge: SfuBridge;
  readonly #policy: TopologyOptions;
  readonly #log: Logger;
  readonly #meshMaxPeers: number;
  /** The topology of every room with members that this process has seen a change of. */
  readonly #modes = new Map<RoomId, TopologyMode>();
  readonly #participants = new Map<PeerId, Participation>();
  #registry: RoomRegistry | undefined;

  constructor(options: SfuBrokerOptions) {
    this.#bridge = options.bridge;
    this.#policy = options.topology ?? TOPOLOGY_DEFAULTS;
    this.#log = options.log;
    this.#meshMaxPeers = options.meshMaxPeers ?? 8;
    this.#bridge.setEventHandler((name, event) => this.#onBridgeEvent(name, event));
  }

  /** The rooms whose topology the broker decides and announces; set once, after the registry is built. */
  attach(registry: RoomRegistry): void {
    this.#registry = registry;
  }

  /** How `room` carries media now (a room the broker has not seen yet is a mesh). */
  topologyOf(room: RoomId): TopologyMode {
    return this.#modes.get(room) ?? 'mesh';
  }

  /**
   * Whether a client may enter `room` with `features`: undefined when it may, else why not.
   * A client that cannot use an SFU sees and hears nobody in a room carried by one.
   */
  refusal(room: RoomId, features: readonly string[] | undefined): string | undefined {
    if (this.topologyOf(room) !== 'sfu' || features?.includes('sfu') === true) return undefined;
    return `room ${room} carries its media through an SFU, which this client cannot use; update it`;
  }

  /** Someone joined or left `room` through this process: the room may switch topology. */
  async membershipChanged(room: RoomId): Promise<void> {
    const registry = this.#registry;
    if (registry === undefined) return;
    const members = (await registry.members(room)).length;
    if (members === 0) {
      this.#modes.delete(room);
      return;
    }
    await this.#decide(room, members);
  }

  /**
   * The room's topology for `members` people: the policy's, except that while the SFU cannot
   * be reached a room that fits a mesh is a mesh. Announced to the room when it changes.
   */
  async #decide(room: RoomId, members: number): Promise<void> {
    const current = this.topologyOf(room);
    let next = nextTopology(current, members, this.#policy);
    if (next === 'sfu' && !this.#bridge.available && members <= this.#meshMaxPeers) next = 'mesh';
    this.#modes.set(room, next);
    if (next === current) return;
    this.#log.info({ room, members, topology: next, sfuAvailable: this.#bridge.available }, 'room topology switched');
    await this.#registry?.announce(room, { type: 'topology', mode: next });
  }

  /** The SFU went away or came back: every room this process knows is decided again. */
  async #availabilityChanged(available: boolean): Promise<void> {
    this.#log.warn({ available }, available ? 'the SFU is back' : 'the SFU cannot be reached');
    const registry = this.#registry;
    if (registry === undefined) return;
    for (const room of [...this.#modes.keys()]) {
      const members = (await registry.members(room)).length;
      if (members === 0) this.#modes.delete(room);
      else await this.#decide(room, members);
    }
  }

  /** Runs one `sfu-*` request of a joined participant; failures are answered `SFU_FAILED`. */
  async handle(participant: SfuParticipant, room: RoomId, peerId: PeerId, command: SfuCommand): Promise<void> {
    let known = this.#participants.get(peerId);
    // A client that set up its SFU connections afresh (the room went back to a mesh and to
    // the SFU again, on the same socket): a publish from a new connection (another ICE ufrag),
    // or a second subscribe. The SFU's side of the old ones ends first.
    if (known !== undefined && isFreshStart(known, command)) {
      this.#participants.delete(peerId);
      await this.#bridge.leave(known.room, peerId);
      known = undefined;
    }
    if (known === undefined) {
      known = { room, participant, publishedUfrag: undefined, subscribed: false };
      this.#participants.set(peerId, known);
    }
    if (command.type === 'sfu-publish') known.publishedUfrag = iceUfrag(command.description.sdp);
    if (command.type === 'sfu-subscribe') known.subscribed = true;
    try {
      await this.#run(participant, room, peerId, command);
    } catch (error) {
      if (!(error instanceof SfuError)) throw error;
      participant.fail('SFU_FAILED', `the SFU could not ${describe(command)}: ${error.message}`, command.type);
    }
  }

  /** The participant left the room (or its connection ended): its SFU connections end. */
  async left(peerId: PeerId): Promise<void> {
    const known = this.#participants.get(peerId);
    if (known === undefined) return;
    this.#participants.delete(peerId);
    await this.#bridge.leave(known.room, peerId);
  }

  /** The features a server with this broker has. */
  readonly features: readonly string[] = Object.freeze(['resume', 'sfu']);

  /** Ends the bridge's sessions. */
  close(): Promise<void> {
    this.#participants.clear();
    return this.#bridge.close();
  }

  async #run(participant: SfuParticipant, room: RoomId, peerId: PeerId, command: SfuCommand): Promise<void> {
    switch (command.type) {
      case 'sfu-publish': {
        if (command.description.type !== 'offer') throw new SfuError('rejected', 'sfu-publish carries an offer');
        const answer = await this.#bridge.publish(room, peerId, command.description);
        return participant.sendSfu({ type: 'sfu-published', description: answer });
      }
      case 'sfu-subscribe':
        return this.#bridge.subscribe(room, peerId);
      case 'sfu-answer':
        if (command.description.type !== 'answer') throw new SfuError('rejected', 'sfu-answer carries an answer');
        return this.#bridge.answerSubscriber(room, peerId, command.description);
      case 'sfu-configure':
        return this.#bridge.configure(room, peerId, command.streams);
      case 'sfu-candidates':
        return this.#bridge.trickle(room, peerId, command.leg, command.candidates);
    }
  }

  #onBridgeEvent<K extends keyof SfuBridgeEvents>(name: K, event: SfuBridgeEvents[K]): void {
    if (name === 'subscriberOffer') {
      const { peerId, offer, streams } = event as SfuBridgeEvents['subscriberOffer'];
      this.#participants.get(peerId)?.participant.sendSfu({
        type: 'sfu-offer',
        description: offer,
        streams: streams.map(({ mid, peerId: peer, kind }) => ({ mid, peer, kind })),
      });
    } else if (name === 'speaking') {
      const { room, peerIds } = event as SfuBridgeEvents['speaking'];
      for (const known of this.#participants.values()) {
        if (known.room === room) known.participant.sendSfu({ type: 'sfu-speaking', peers: peerIds.slice(0, LIMITS.speakingPeers) });
      }
    } else if (name === 'availability') {
      const { available } = event as SfuBridgeEvents['availability'];
      void this.#availabilityChanged(available).catch((error: unknown) => this.#log.error({ err: error }, 'could not decide the rooms again'));
    } else {
      this.#log.debug({ event: name, detail: event }, 'sfu event');
    }
  }
}

/** What the broker knows of one of this process's participants in the SFU. */
interface Participation {
  readonly room: RoomId;
  readonly participant: SfuParticipant;
  /** The ICE ufrag of its last publisher offer: another one is another connection. */
  publishedUfrag: string | undefined;
  subscribed: boolean;
}

/** Whether `command` starts a participant's SFU connections afresh (see {@link SfuBroker.handle}). */
function isFreshStart(known: Participation, command: SfuCommand): boolean {
  if (command.type === 'sfu-subscribe') return known.subscribed;
  if (command.type !== 'sfu-publish' || known.publishedUfrag === undefined) return false;
  return iceUfrag(command.description.sdp) !== known.publishedUfrag;
}

/** The first `a=ice-ufrag` of an SDP, if any. */
function iceUfrag(sdp: string): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
}

/** What a request asked, for an error message. */
function describe(command: SfuCommand): string {
  switch (command.type) {
    case 'sfu-publish':
      return 'publish your media';
    case 'sfu-subscribe':
      return 'subscribe you to the room';
    case 'sfu-answer':
      return 'take your answer';
    case 'sfu-configure':
      return 'change what you receive';
    case 'sfu-candidates':
      return 'take your ICE candidates';
  }
}
