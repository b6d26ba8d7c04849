/**
 * How Ponte rooms and peers are named in Janus's VideoRoom. Every server process of a
 * deployment derives the same names and secrets from the same inputs, so the participants of
 * one Ponte room meet in one VideoRoom whichever process brokers them, and nothing needs to be
 * stored or shared but the deployment's room secret.
 * @module
 */
import { createHash, createHmac } from 'node:crypto';
import type { PeerId, RoomId } from '@ponte/protocol';

function digest(kind: string, value: string): string {
  return createHash('sha256').update(`${kind}\0${value}`).digest('base64url').slice(0, 32);
}

/**
 * The VideoRoom id of a Ponte room (the plugin runs with `string_ids = true`): `ponte-` and 32
 * characters of base64url SHA-256 of the room id, so any room id gives a short, safe name.
 */
export function videoRoomId(room: RoomId): string {
  return `ponte-${digest('room', room)}`;
}

/** The VideoRoom participant id of a Ponte peer's publisher: `p-` and a digest of the peer id. */
export function publisherFeedId(peer: PeerId): string {
  return `p-${digest('peer', peer)}`;
}

/** The VideoRoom participant id of one server process's room watcher: `w-` and a digest of its node id. */
export function watcherFeedId(nodeId: string): string {
  return `w-${digest('node', nodeId)}`;
}

/** Whether a VideoRoom participant id is one of the bridge's watchers (they never publish). */
export function isWatcherFeed(feed: string): boolean {
  return feed.startsWith('w-');
}

/**
 * The VideoRoom `secret` (needed to destroy the room or kick a participant) and `pin` (needed
 * to join it) of a room: HMAC-SHA256 of the VideoRoom id under the deployment's room secret.
 */
export function videoRoomKeys(roomSecret: string, videoRoom: string): { secret: string; pin: string } {
  const key = (purpose: string): string => createHmac('sha256', roomSecret).update(`${purpose}:${videoRoom}`).digest('base64url');
  return { secret: key('secret'), pin: key('pin') };
}
