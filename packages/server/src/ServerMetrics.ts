import { CLIENT_FRAME_TYPES_FOR_METRICS, SERVER_FRAME_TYPES_FOR_METRICS } from './metricLabels.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ERROR_CODES, type ErrorCode } from '@ponte/protocol';
import type { AdapterStats } from './RoomAdapter.js';

/** What {@link ServerMetrics} reads on each scrape. */
export interface MetricsSources {
  /** Open WebSocket connections. */
  connections: () => number;
  /** Room and peer counts. */
  stats: () => Promise<AdapterStats>;
}

type Child = { inc(): void };

/**
 * The server's Prometheus metrics, in a registry of its own (not prom-client's global one,
 * so several servers can live in one process). Hot-path methods touch pre-bound label
 * children only: no allocation, no label lookup per frame.
 */
export class ServerMetrics {
  /** The registry to expose at `/metrics`. */
  readonly registry = new Registry();
  readonly #framesIn: Record<string, Child> = {};
  readonly #framesOut: Record<string, Child> = {};
  readonly #errors: Record<string, Child> = {};
  readonly #relay: Histogram;
  readonly #refusedUpgrades: Counter<'reason'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    new Gauge({ name: 'ponte_connections', help: 'Open WebSocket connections.', registers, collect() { this.set(sources.connections()); } });
    new Gauge({
      name: 'ponte_rooms',
      help: 'Rooms with at least one peer.',
      registers,
      async collect() {
        this.set((await sources.stats()).rooms);
      },
    });
    new Gauge({
      name: 'ponte_peers',
      help: 'Peers in a room.',
      registers,
      async collect() {
        this.set((await sources.stats()).peers);
      },
    });
    const framesIn = new Counter({ name: 'ponte_frames_in_total', help: 'Frames received from clients, by type ("invalid" for unparsable ones, "limited" for rate-limited ones).', labelNames: ['type'], registers });
    for (const type of CLIENT_FRAME_TYPES_FOR_METRICS) this.#framesIn[type] = framesIn.labels(type);
    const framesOut = new Counter({ name: 'ponte_frames_out_total', help: 'Frames sent to clients, by type.', labelNames: ['type'], registers });
    for (const type of SERVER_FRAME_TYPES_FOR_METRICS) this.#framesOut[type] = framesOut.labels(type);
    const errors = new Counter({ name: 'ponte_errors_total', help: 'Error frames sent, by code; and sockets closed by the server for a violation ("CLOSED_1008", "CLOSED_1009").', labelNames: ['code'], registers });
    for (const code of [...ERROR_CODES, 'CLOSED_1008', 'CLOSED_1009']) this.#errors[code] = errors.labels(code);
    this.#relay = new Histogram({
      name: 'ponte_relay_latency_seconds',
      help: 'From receiving a signal frame to handing it to the target peer\'s socket.',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.#refusedUpgrades = new Counter({
      name: 'ponte_refused_upgrades_total',
      help: 'WebSocket upgrades refused, by reason (auth, origin, ip_limit, path).',
      labelNames: ['reason'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'ponte_' });
  }

  /** Counts one inbound frame of `type` (a client frame type, `invalid` or `limited`). */
  frameIn(type: string): void {
    (this.#framesIn[type] ?? this.#framesIn.other)?.inc();
  }

  /** Counts one outbound frame of `type`. */
  frameOut(type: string): void {
    (this.#framesOut[type] ?? this.#framesOut.other)?.inc();
  }

  /** Counts one error frame, or a violation close (`CLOSED_1008`, `CLOSED_1009`). */
  error(code: ErrorCode | 'CLOSED_1008' | 'CLOSED_1009'): void {
    this.#errors[code]?.inc();
  }

  /** Records one relay: `seconds` from receiving a signal to writing it out. */
  relayed(seconds: number): void {
    this.#relay.observe(seconds);
  }

  /** Counts a refused WebSocket upgrade. */
  refusedUpgrade(reason: 'auth' | 'origin' | 'ip_limit' | 'path'): void {
    this.#refusedUpgrades.inc({ reason });
  }
}
