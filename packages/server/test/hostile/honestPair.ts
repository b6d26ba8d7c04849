import { WebSocket } from 'ws';
import { messageText } from '../messageText.js';
import type { HonestProtocol } from './targets.js';

/** What the honest pair saw, for assertions and reports. */
export interface HonestReport {
  /** Offer/answer round trips completed. */
  roundTrips: number;
  offersSent: number;
  offersReceived: number;
  answersSent: number;
  answersReceived: number;
  /** Offers or answers that arrived out of order or twice. */
  misordered: number;
  /** Error frames either peer received, as sent. */
  errors: string[];
  /** Closes of either socket before {@link HonestPair.close}, e.g. `A closed 1008`. */
  closes: string[];
  /** Relay round-trip times (offer sent → answer received), in ms. */
  rttsMs: number[];
}

interface Peer {
  socket: WebSocket;
  id: string;
}

/**
 * Two well-behaved peers in one room, doing offer/answer round trips through the server:
 * A sends an offer to B, B answers it, A sends the next one when the answer arrives (at most
 * one in flight, at most one every `minIntervalMs` so the pair stays under the server's rate
 * limit). Every frame is counted; the pair notes errors, closes and lost or reordered signals.
 */
export class HonestPair {
  readonly #protocol: HonestProtocol;
  readonly #a: Peer;
  readonly #b: Peer;
  readonly #report: HonestReport = {
    roundTrips: 0,
    offersSent: 0,
    offersReceived: 0,
    answersSent: 0,
    answersReceived: 0,
    misordered: 0,
    errors: [],
    closes: [],
    rttsMs: [],
  };
  #running = false;
  #closing = false;
  #sentAt = 0;
  #nextTimer: NodeJS.Timeout | undefined;
  #minIntervalMs = 0;
  /** Resolves the wait of {@link stop} once the round trip in flight is done. */
  #settled: (() => void) | undefined;

  private constructor(protocol: HonestProtocol, a: Peer, b: Peer) {
    this.#protocol = protocol;
    this.#a = a;
    this.#b = b;
    for (const [name, peer] of [
      ['A', a],
      ['B', b],
    ] as const) {
      // A socket error is followed by 'close', which is what the report records.
      peer.socket.on('error', () => {});
      peer.socket.on('message', (data, binary) => this.#receive(name, binary ? '' : messageText(data)));
      peer.socket.on('close', (code) => {
        if (!this.#closing) this.#report.closes.push(`${name} closed ${code}`);
        this.#settled?.();
      });
    }
  }

  /** Opens both peers at `baseUrl` in `room` and resolves once both can signal. */
  static async open(baseUrl: string, protocol: HonestProtocol, room: string, timeoutMs = 10_000): Promise<HonestPair> {
    const a = await openPeer(baseUrl, protocol, room, `${room}-a`, timeoutMs);
    const b = await openPeer(baseUrl, protocol, room, `${room}-b`, timeoutMs);
    return new HonestPair(protocol, a, b);
  }

  /** Starts the round trips; they go on until {@link stop}. */
  start(minIntervalMs: number): void {
    this.#minIntervalMs = minIntervalMs;
    this.#running = true;
    this.#sendOffer();
  }

  /**
   * Stops starting round trips and waits (at most `timeoutMs`) for the one in flight; a
   * signal still missing after that counts as lost in the report.
   */
  async stop(timeoutMs = 5_000): Promise<HonestReport> {
    this.#running = false;
    clearTimeout(this.#nextTimer);
    if (this.#report.answersReceived < this.#report.offersSent) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#settled = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
    }
    return this.report;
  }

  /** The counts so far (a copy). */
  get report(): HonestReport {
    const r = this.#report;
    return { ...r, errors: [...r.errors], closes: [...r.closes], rttsMs: [...r.rttsMs] };
  }

  /** Closes both sockets. */
  async close(): Promise<void> {
    this.#running = false;
    this.#closing = true;
    clearTimeout(this.#nextTimer);
    await Promise.all(
      [this.#a.socket, this.#b.socket].map(async (socket) => {
        if (socket.readyState === WebSocket.CLOSED) return;
        const closed = new Promise((resolve) => socket.once('close', resolve));
        socket.terminate();
        await closed;
      }),
    );
  }

  #sendOffer(): void {
    const sequence = this.#report.offersSent;
    this.#sentAt = performance.now();
    this.#report.offersSent += 1;
    this.#a.socket.send(this.#protocol.offer(this.#b.id, sequence));
  }

  #receive(name: 'A' | 'B', text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.#report.errors.push(`${name} got a frame that is not JSON`);
      return;
    }
    const { kind, sequence } = this.#protocol.read(message);
    const r = this.#report;
    if (kind === 'error') r.errors.push(`${name}: ${text.slice(0, 200)}`);
    else if (kind === 'offer' && name === 'B') {
      if (sequence !== r.offersReceived) r.misordered += 1;
      r.offersReceived += 1;
      r.answersSent += 1;
      this.#b.socket.send(this.#protocol.answer(this.#a.id, sequence ?? -1));
    } else if (kind === 'answer' && name === 'A') {
      if (sequence !== r.answersReceived) r.misordered += 1;
      r.answersReceived += 1;
      r.roundTrips += 1;
      const now = performance.now();
      r.rttsMs.push(now - this.#sentAt);
      if (!this.#running) {
        this.#settled?.();
        return;
      }
      // Paced to stay under the server's per-connection rate limit; not a wait for an event.
      this.#nextTimer = setTimeout(
        () => {
          if (this.#running) this.#sendOffer();
        },
        Math.max(0, this.#sentAt + this.#minIntervalMs - now),
      );
    } else if (kind !== 'other') r.errors.push(`${name} got an unexpected ${kind}`);
  }
}

/** Opens one peer and resolves with its id once the server says it can signal. */
function openPeer(baseUrl: string, protocol: HonestProtocol, room: string, name: string, timeoutMs: number): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(protocol.url(baseUrl, name), { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`${name}: not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data: Buffer): void => {
      const id = protocol.ready(JSON.parse(data.toString()) as Record<string, unknown>, name);
      if (id === undefined) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve({ socket, id });
    };
    socket.on('message', onMessage);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('open', () => {
      const hello = protocol.hello(room, name);
      if (hello !== undefined) socket.send(hello);
    });
  });
}
