/**
 * Subscribes a component to a {@link Room} and exposes a render-ready snapshot of it.
 * The SDK mutates its objects in place (a remote stream grows as tracks arrive), so every
 * event rebuilds a fresh snapshot that React can compare by reference.
 */
import { useEffect, useState } from 'react';
import type { MediaState, PonteError, RemotePeer, Room, TopologyMode } from '@ponte/client';

/** One participant as the call view draws it: a remote peer, or ourselves. */
export interface ParticipantView {
  readonly id: string;
  readonly name: string;
  readonly state: MediaState;
  readonly stream: MediaStream | null;
  /** `'connected'` for ourselves. */
  readonly connectionState: RTCPeerConnectionState;
  readonly isLocal: boolean;
  /**
   * The ids of the stream's tracks, joined: changes when a track arrives or is replaced,
   * which is when a `<video>` must be re-bound.
   */
  readonly trackKey: string;
}

/** Why the room closed, when it closed on its own (not because we left). */
export interface RoomClosure {
  readonly reason: string;
  readonly error?: PonteError;
}

/** What the call view renders. */
export interface RoomSnapshot {
  /** Ourselves, once joined: what we send (microphone plus camera or screen) and its state. */
  readonly self: ParticipantView | null;
  /** Everyone else, in the order they joined. */
  readonly peers: readonly ParticipantView[];
  readonly closure: RoomClosure | null;
  /** The signaling connection is lost and being retried (calls go on peer to peer). */
  readonly reconnecting: boolean;
  /** How the room carries media: `mesh` (peer to peer) or `sfu` (through the server's media server). */
  readonly topology: TopologyMode;
}

const EMPTY: RoomSnapshot = { self: null, peers: [], closure: null, reconnecting: false, topology: 'mesh' };

function trackKey(stream: MediaStream | null): string {
  return stream
    ? stream
        .getTracks()
        .map((track) => track.id)
        .join(',')
    : '';
}

function viewOfPeer(peer: RemotePeer): ParticipantView {
  return {
    id: peer.id,
    name: peer.name,
    state: { ...peer.state },
    stream: peer.stream,
    connectionState: peer.connectionState,
    isLocal: false,
    trackKey: trackKey(peer.stream),
  };
}

function viewOfSelf(room: Room): ParticipantView | null {
  const self = room.self;
  if (!self) return null;
  const local = room.local;
  return {
    id: self.id,
    name: self.name,
    // Our own sending state is authoritative in `local`; `self.state` is what the room was told.
    state: { ...local.state },
    stream: local.stream,
    connectionState: 'connected',
    isLocal: true,
    trackKey: trackKey(local.stream),
  };
}

function snapshotOf(room: Room, closure: RoomClosure | null, reconnecting: boolean): RoomSnapshot {
  return {
    reconnecting,
    topology: room.topology,
    self: viewOfSelf(room),
    peers: [...room.peers.values()].map(viewOfPeer),
    closure,
  };
}

/**
 * The live state of `room` (or an empty snapshot while there is none). Re-renders on every
 * room event that changes what is on screen.
 */
export function useRoom(room: Room | null): RoomSnapshot {
  const [snapshot, setSnapshot] = useState<RoomSnapshot>(EMPTY);

  useEffect(() => {
    if (!room) {
      setSnapshot(EMPTY);
      return undefined;
    }
    let closure: RoomClosure | null = null;
    let reconnecting = false;
    const refresh = (): void => setSnapshot(snapshotOf(room, closure, reconnecting));
    const offs = [
      room.on('joined', refresh),
      room.on('peer-joined', refresh),
      room.on('peer-left', refresh),
      room.on('peer-updated', refresh),
      room.on('track', refresh),
      room.on('connection-state', refresh),
      room.on('local-media', refresh),
      room.on('topology', refresh),
      room.on('reconnecting', () => {
        reconnecting = true;
        refresh();
      }),
      room.on('reconnected', () => {
        reconnecting = false;
        refresh();
      }),
      room.on('closed', (event) => {
        closure = event.error ? { reason: event.reason, error: event.error } : { reason: event.reason };
        refresh();
      }),
    ];
    refresh();
    return () => {
      for (const off of offs) off();
    };
  }, [room]);

  return snapshot;
}
