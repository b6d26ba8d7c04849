import type { Logger } from 'pino';
import type { RoomRegistry } from '../../rooms/RoomRegistry.js';
import type { JoinGate } from '../../admission/JoinGate.js';
import type { Availability } from '../../admission/Availability.js';
import type { ServerMetrics } from '../../observability/ServerMetrics.js';
import type { SessionCredentials } from '../../credentials/SessionCredentials.js';
import type { Dialect } from '../Dialect.js';
import { ponteDialect } from '../ponte/ponteDialect.js';
import type { SfuBroker } from '../../media/SfuBroker.js';
import { CredentialRefresh } from './CredentialRefresh.js';
import { RoomEntry } from './RoomEntry.js';
import { SignalRelay } from './SignalRelay.js';

/** What the sessions of a server are built from: the rest of the server. */
export interface ClientSessionDeps {
  /** The rooms. */
  registry: RoomRegistry;
  /** ICE servers, TURN credentials, relay policy and resume tokens. */
  credentials: SessionCredentials;
  /** The server's logger; a session adds its connection's number to each line. */
  log: Logger;
  /** Admission checks of `join`: tokens, room passwords, server caps. Default: none. */
  gate?: JoinGate;
  /** Whether joins and resumes are taken now (not while draining or cut off from the rooms). Default: always. */
  availability?: Availability;
  /** Counts frames, errors and relay latency. */
  metrics?: ServerMetrics;
  /** The wire protocol the clients speak. Default: Ponte's. */
  dialect?: Dialect;
  /** Carries rooms too large for a mesh through an SFU. Default: none (every room is a mesh). */
  sfu?: SfuBroker;
}

/** What every `ClientSession` of a server shares, made once per server (a session holds only its own state). */
export class SessionServices {
  readonly registry: RoomRegistry;
  readonly log: Logger;
  readonly metrics: ServerMetrics | undefined;
  readonly dialect: Dialect;
  readonly sfu: SfuBroker | undefined;
  readonly entry: RoomEntry;
  readonly relay: SignalRelay;
  readonly refresh: CredentialRefresh;

  /** Builds the shared parts of the sessions from `deps`. */
  constructor(deps: ClientSessionDeps) {
    this.registry = deps.registry;
    this.log = deps.log;
    this.metrics = deps.metrics;
    this.dialect = deps.dialect ?? ponteDialect;
    this.sfu = deps.sfu;
    this.entry = new RoomEntry(deps);
    this.relay = new SignalRelay(deps.registry, deps.metrics);
    this.refresh = new CredentialRefresh(deps.credentials, deps.registry.maxPeersPerRoom);
  }
}
