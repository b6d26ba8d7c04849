import { CLIENT_FRAME_TYPES_FOR_METRICS, SERVER_FRAME_TYPES_FOR_METRICS } from './metricLabels.js';
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { ERROR_CODES, type ErrorCode } from '@ponte/protocol';
import type { RoomStats } from '../rooms/RoomStore.js';

/** Labels of `ponte_errors_total` for sockets closed by the server, by close code. */
const CLOSED_CODES = ['CLOSED_1002', 'CLOSED_1007', 'CLOSED_1008', 'CLOSED_1009', 'CLOSED_1011'] as const;

/** A socket closed by the server, as counted in `ponte_errors_total`. */
export type ClosedCode = (typeof CLOSED_CODES)[number];

/** What {@link ServerMetrics} reads on each scrape. */
export interface MetricsSources {
  /** Open WebSocket connections. */
  connections: () => number;
  /** Room and peer counts. */
  stats: () => Promise<RoomStats>;
}

/**
 * A counter by one label whose hot path is a plain addition: prom-client reads the counts
 * when it is scraped.
 */
function countsByLabel(
  registers: Registry[],
  config: { name: string; help: string; labelName: string; values: readonly string[] },
): Record<string, number> {
  // No prototype: `in` must not find "toString" and the like.
  const counts: Record<string, number> = Object.assign(Object.create(null) as object, Object.fromEntries(config.values.map((value) => [value, 0])));
  new Counter({
    name: config.name,
    help: config.help,
    labelNames: [config.labelName],
    registers,
    collect() {
      this.reset();
      for (const value of config.values) this.inc({ [config.labelName]: value }, counts[value]);
    },
  });
  return counts;
}

/**
 * A histogram without labels whose `observe` is a bucket search and three additions; it is
 * formatted by prom-client like one of its own when the registry is scraped.
 */
class CheapHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #buckets: readonly number[];
  /** Observations at or below each bucket's bound (not cumulative; summed on export). */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
  ) {
    this.#buckets = buckets;
    this.#counts = new Float64Array(buckets.length);
  }

  observe(value: number): void {
    const bucket = this.#buckets.findIndex((bound) => value <= bound);
    if (bucket >= 0) this.#counts[bucket]! += 1;
    this.#sum += value;
    this.#count += 1;
  }

  /** What prom-client's registry formats (the shape its own metrics' `get()` returns). */
  get(): { name: string; help: string; type: string; aggregator: string; values: object[] } {
    let cumulative = 0;
    const values: object[] = this.#buckets.map((le, index) => {
      cumulative += this.#counts[index]!;
      return { metricName: `${this.name}_bucket`, labels: { le }, value: cumulative };
    });
    values.push(
      { metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.#count },
      { metricName: `${this.name}_sum`, labels: {}, value: this.#sum },
      { metricName: `${this.name}_count`, labels: {}, value: this.#count },
    );
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/**
 * The server's Prometheus metrics, in a registry of its own (not prom-client's global one,
 * so several servers can live in one process). The per-frame methods only add to numbers;
 * prom-client reads them on each scrape.
 */
export class ServerMetrics {
  /** The registry to expose at `/metrics`. */
  readonly registry = new Registry();
  readonly #framesIn: Record<string, number>;
  readonly #framesOut: Record<string, number>;
  readonly #errors: Record<string, number>;
  readonly #relay = new CheapHistogram(
    'ponte_relay_latency_seconds',
    "From receiving a signal frame to handing it to the target peer's socket.",
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  readonly #refusedUpgrades: Counter<'reason'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    new Gauge({
      name: 'ponte_connections',
      help: 'Open WebSocket connections.',
      registers,
      collect() {
        this.set(sources.connections());
      },
    });
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
    this.#framesIn = countsByLabel(registers, {
      name: 'ponte_frames_in_total',
      help: 'Frames received from clients, by type ("invalid" for unparsable ones, "limited" for rate-limited ones).',
      labelName: 'type',
      values: CLIENT_FRAME_TYPES_FOR_METRICS,
    });
    this.#framesOut = countsByLabel(registers, {
      name: 'ponte_frames_out_total',
      help: 'Frames sent to clients, by type.',
      labelName: 'type',
      values: SERVER_FRAME_TYPES_FOR_METRICS,
    });
    this.#errors = countsByLabel(registers, {
      name: 'ponte_errors_total',
      help: 'Error frames sent, by code; and sockets closed by the server, by close code ("CLOSED_1002" protocol error, "CLOSED_1007" invalid UTF-8, "CLOSED_1008" policy, "CLOSED_1009" too big, "CLOSED_1011" internal error).',
      labelName: 'code',
      values: [...ERROR_CODES, ...CLOSED_CODES],
    });
    // The registry formats any object shaped like its metrics; prom-client's types name its class.
    this.registry.registerMetric(this.#relay as unknown as Metric);
    this.#refusedUpgrades = new Counter({
      name: 'ponte_refused_upgrades_total',
      help: 'WebSocket upgrades refused, by reason (auth, origin, ip_limit, path, handshake, draining); ip_limit also counts connections refused before their request.',
      labelNames: ['reason'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'ponte_' });
  }

  /** Counts one inbound frame of `type` (a client frame type, `invalid` or `limited`). */
  frameIn(type: string): void {
    if (type in this.#framesIn) this.#framesIn[type]! += 1;
    else this.#framesIn.other! += 1;
  }

  /** Counts one outbound frame of `type`. */
  frameOut(type: string): void {
    if (type in this.#framesOut) this.#framesOut[type]! += 1;
    else this.#framesOut.other! += 1;
  }

  /** Counts one error frame, or a socket the server closed (`CLOSED_1008` …). */
  error(code: ErrorCode | ClosedCode): void {
    if (code in this.#errors) this.#errors[code]! += 1;
  }

  /** Records one relay: `seconds` from receiving a signal to writing it out. */
  relayed(seconds: number): void {
    this.#relay.observe(seconds);
  }

  /** Counts a refused WebSocket upgrade. */
  refusedUpgrade(reason: 'auth' | 'origin' | 'ip_limit' | 'path' | 'handshake' | 'draining'): void {
    this.#refusedUpgrades.inc({ reason });
  }
}
