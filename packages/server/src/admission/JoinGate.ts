import type { ErrorCode, JoinFrame } from '@ponte/protocol';
import { ALL_PERMISSIONS, forbiddenMedia, verifyJoinToken, type JoinPermissions } from './joinToken.js';
import type { PasswordFailures } from './PasswordFailures.js';
import { PasswordThrottle } from './PasswordThrottle.js';
import type { RoomJoinConditions, RoomStore } from '../rooms/RoomStore.js';
import { hashRoomPassword, verifyRoomPassword } from './roomPassword.js';
import type { ResolvedSecurityOptions } from '../config/securityOptions.js';

/** The outcome of {@link JoinGate.admit}. */
export type Admission =
  | {
      ok: true;
      /** The display name to use: the token's, else the join's. */
      name: string;
      /** What the peer may publish. */
      permissions: JoinPermissions;
      /** Whether a join token fixed the name (a resume may not change it). */
      nameFixed: boolean;
      /** The caps and conditions the room store checks atomically with the join. */
      joinOptions: RoomJoinConditions;
    }
  | { ok: false; code: ErrorCode; message: string };

/**
 * The caps and checks a {@link JoinGate} applies (the resolved security options: their
 * `maxPeers` is the server-wide cap, `maxPeersPerServer` in the room store's terms).
 */
export type JoinGateOptions = Pick<
  ResolvedSecurityOptions,
  'tokenSecret' | 'requireToken' | 'passwordFreeAttempts' | 'passwordDelayMs' | 'passwordMaxDelayMs' | 'maxRooms' | 'maxPeers'
>;

/** What a session without a token may do. */
export const DEFAULT_PERMISSIONS: JoinPermissions = ALL_PERMISSIONS;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Decides whether a `join` may proceed, before the registry adds the peer: checks the join
 * token (signature, expiry, room; its name replaces the join's), the media state against the
 * token's permissions, and the room password (with the per-address delay after repeated
 * failures). A valid token admits without the room password: the application that signed
 * it vouches for its holder.
 */
export class JoinGate {
  readonly #rooms: Pick<RoomStore, 'room'>;
  readonly #options: JoinGateOptions;
  readonly #throttle: PasswordThrottle;

  /** A gate that reads room records from `rooms` and counts wrong passwords in `failures` (default: memory). */
  constructor(rooms: Pick<RoomStore, 'room'>, options: JoinGateOptions, failures?: PasswordFailures) {
    this.#rooms = rooms;
    this.#options = options;
    this.#throttle = new PasswordThrottle({
      freeAttempts: options.passwordFreeAttempts,
      delayMs: options.passwordDelayMs,
      maxDelayMs: options.passwordMaxDelayMs,
      ...(failures === undefined ? {} : { failures }),
    });
  }

  /** The server caps a resume that re-admits a peer must respect. */
  get caps(): Pick<RoomJoinConditions, 'maxRooms' | 'maxPeersPerServer'> {
    return { maxRooms: this.#options.maxRooms, maxPeersPerServer: this.#options.maxPeers };
  }

  /** Checks `frame` from a client at `address`; never throws for a refused join. */
  async admit(frame: JoinFrame, address: string): Promise<Admission> {
    const { tokenSecret, requireToken } = this.#options;
    let name = frame.name;
    let permissions = DEFAULT_PERMISSIONS;
    let tokenHolder = false;
    if (tokenSecret !== undefined && frame.token !== undefined) {
      const verified = await verifyJoinToken(frame.token, tokenSecret, frame.room);
      if (!verified.ok) return { ok: false, code: 'TOKEN_INVALID', message: `${verified.reason}; ask for a new invitation` };
      ({ name, permissions } = verified.token);
      tokenHolder = true;
    } else if (requireToken) {
      return { ok: false, code: 'TOKEN_REQUIRED', message: 'this server admits only joins with a join token' };
    }
    const forbidden = forbiddenMedia(frame.state, permissions);
    if (forbidden !== undefined) {
      return { ok: false, code: 'FORBIDDEN', message: `the join token does not allow publishing ${forbidden}` };
    }

    const record = await this.#rooms.room(frame.room);
    const passwordHash = record?.passwordHash ?? null;
    if (passwordHash !== null && !tokenHolder) {
      if (frame.password === undefined) {
        return { ok: false, code: 'PASSWORD_REQUIRED', message: `room ${frame.room} needs a password` };
      }
      const delay = await this.#throttle.delayFor(address, frame.room);
      if (delay > 0) await sleep(delay);
      if (!(await verifyRoomPassword(frame.password, passwordHash))) {
        await this.#throttle.fail(address, frame.room);
        return { ok: false, code: 'WRONG_PASSWORD', message: `that is not the password of room ${frame.room}` };
      }
      await this.#throttle.succeed(address, frame.room);
    }
    const joinOptions: RoomJoinConditions = { expectPasswordHash: passwordHash, ...this.caps };
    if (record === undefined && frame.password !== undefined) {
      joinOptions.create = { passwordHash: await hashRoomPassword(frame.password) };
    }
    return { ok: true, name, permissions, nameFixed: tokenHolder, joinOptions };
  }
}
