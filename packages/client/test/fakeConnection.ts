/**
 * A pair of fake `RTCPeerConnection`s that carry data channels in memory, for unit tests of
 * the data layer under Node. Messages are delivered on a later task, `bufferedAmount` grows
 * on send and shrinks on delivery (firing `bufferedamountlow`), negotiated channels pair by
 * id and in-band ones announce themselves with a `datachannel` event, like the real thing.
 */

type Handler = ((event: never) => void) | null;

/** One end of a fake data channel. */
export class FakeChannel {
  readonly label: string;
  readonly id: number | null;
  readonly negotiated: boolean;
  readonly ordered: boolean;
  readyState: RTCDataChannelState = 'connecting';
  binaryType: BinaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onbufferedamountlow: Handler = null;
  onerror: Handler = null;
  /** The other end, once paired. */
  peer: FakeChannel | null = null;
  /** Every frame this end sent, in order. */
  readonly sent: (string | ArrayBuffer)[] = [];

  constructor(label: string, init: RTCDataChannelInit = {}) {
    this.label = label;
    this.id = init.id ?? null;
    this.negotiated = init.negotiated ?? false;
    this.ordered = init.ordered ?? true;
  }

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError');
    const copy = typeof data === 'string' ? data : copyBytes(data);
    this.sent.push(copy);
    const size = typeof copy === 'string' ? copy.length : copy.byteLength;
    this.bufferedAmount += size;
    setTimeout(() => {
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) call(this.onbufferedamountlow, {});
      this.peer?.receive(copy);
    }, 0);
  }

  receive(data: string | ArrayBuffer): void {
    if (this.readyState !== 'open') return;
    call(this.onmessage, { data });
  }

  close(): void {
    if (this.readyState === 'closed' || this.readyState === 'closing') return;
    this.readyState = 'closing';
    setTimeout(() => {
      this.markClosed();
      this.peer?.markClosed();
    }, 0);
  }

  markOpen(): void {
    if (this.readyState !== 'connecting') return;
    this.readyState = 'open';
    call(this.onopen, {});
  }

  markClosed(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    call(this.onclose, {});
  }
}

function call(handler: Handler, event: object): void {
  (handler as ((event: object) => void) | null)?.(event);
}

function copyBytes(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data.slice(0);
  return (data.buffer as ArrayBuffer).slice(data.byteOffset, data.byteOffset + data.byteLength);
}

/** A fake connection: only what the data layer uses. */
export class FakeConnection extends EventTarget {
  remote: FakeConnection | null = null;
  /** Every channel created or received here, by label (the last one of a label wins). */
  readonly channels = new Map<string, FakeChannel>();
  readonly #negotiated = new Map<number, FakeChannel>();

  createDataChannel(label: string, init: RTCDataChannelInit = {}): FakeChannel {
    const channel = new FakeChannel(label, init);
    this.channels.set(label, channel);
    const remote = this.remote;
    if (!remote) throw new Error('connect the fake pair first');
    if (init.negotiated && init.id !== undefined) {
      this.#negotiated.set(init.id, channel);
      const other = remote.#negotiated.get(init.id);
      if (other) pair(channel, other);
      return channel;
    }
    const other = new FakeChannel(label, init);
    remote.channels.set(label, other);
    setTimeout(() => {
      const event = Object.assign(new Event('datachannel'), { channel: other });
      remote.dispatchEvent(event);
      pair(channel, other);
    }, 0);
    return channel;
  }

  /** Closes every channel, as a closed connection does on both sides. */
  closeAll(): void {
    for (const connection of [this, this.remote]) {
      for (const channel of connection?.channels.values() ?? []) channel.markClosed();
    }
  }
}

function pair(a: FakeChannel, b: FakeChannel): void {
  a.peer = b;
  b.peer = a;
  setTimeout(() => {
    a.markOpen();
    b.markOpen();
  }, 0);
}

/** Two connected fake connections. */
export function fakeConnectionPair(): [FakeConnection, FakeConnection] {
  const a = new FakeConnection();
  const b = new FakeConnection();
  a.remote = b;
  b.remote = a;
  return [a, b];
}

/** A {@link PeerLink} over a fake connection whose data channels may be created at once. */
export function linkOf(connection: FakeConnection): { connection: RTCPeerConnection; onDataReady(open: () => void): void } {
  return { connection: connection as unknown as RTCPeerConnection, onDataReady: (open) => open() };
}

/** Resolves on the next `name` event of `emitter`. */
export function next<T>(emitter: { once(name: never, listener: (payload: T) => void): unknown }, name: string): Promise<T> {
  return new Promise((resolve) => emitter.once(name as never, resolve));
}
