// The page of the browser call benches (bench/setup, bench/signaling, bench/sfu), installed in every page
// as a Playwright init script so that it runs before any library does. It
// - counts the page's WebSocket frames each way, with their bytes and type (wraps `WebSocket`);
// - watches every `RTCPeerConnection` the page makes, whoever makes it (wraps the constructor):
//   when it first reaches `connected`, and when the first frame of its remote video is
//   presented (`requestVideoFrameCallback` on a `<video>` of its own);
// - exposes `window.bench`, with one way to join a call per method: the Ponte SDK (`Room`),
//   the floor (a bare RTCPeerConnection per pair over bench/lib/bareRelay.mjs) and PeerJS.
// Times are `performance.now()` of this page, in ms from t0, the start of this page's join.
(() => {
  /** Every WebSocket frame: `{ at, dir: 'out' | 'in', bytes, type }`. */
  const frames = [];
  /** Every peer connection: `{ connectedAt, frameAt, video }`. */
  const connections = [];
  /** Connection events, for `--trace`: `{ at, what }`. */
  const events = [];
  /** Every peer connection made, to read their statistics (bench/sfu). */
  const peerConnections = [];
  /** Every remote video track: `{ track, frameAt, peer }` (`peer`: the Ponte peer, when the SDK said whose). */
  const remoteVideos = [];
  /** The Ponte room's `topology` events: `{ at, mode }`. */
  const topologies = [];
  const waiters = new Set();
  const encoder = new TextEncoder();
  let t0 = NaN;
  let stream = null;
  let Room = null;
  // Kept reachable so nothing is collected while the call runs.
  const kept = [];

  /** A frame's type: the protocol's `type`, and for a signal what it carries (offer, answer, candidates). */
  function frameType(data) {
    try {
      const message = JSON.parse(data);
      const what = message.data?.kind === 'description' ? message.data.description.type : message.data?.kind;
      return what ? `${message.type ?? 'relay'}:${what}` : String(message.type);
    } catch {
      return 'not JSON';
    }
  }

  function record(dir, data) {
    const bytes = typeof data === 'string' ? encoder.encode(data).length : (data.byteLength ?? data.size);
    frames.push({ at: performance.now(), dir, bytes, type: typeof data === 'string' ? frameType(data) : 'binary' });
  }

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      events.push({ at: performance.now(), what: 'ws created' });
      this.addEventListener('open', () => events.push({ at: performance.now(), what: 'ws open' }));
      this.addEventListener('message', ({ data }) => record('in', data));
    }

    send(data) {
      record('out', data);
      super.send(data);
    }
  };

  function changed() {
    for (const waiter of waiters) waiter();
  }

  /** Plays `track` in a hidden-size `<video>` of its own and calls `onFirstFrame` when its first frame is presented. */
  function playTrack(track, onFirstFrame) {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.width = 160;
    video.height = 120;
    video.srcObject = new MediaStream([track]);
    video.requestVideoFrameCallback(() => {
      onFirstFrame();
      changed();
    });
    document.body.append(video);
    void video.play().catch(() => {});
  }

  /** Notes when the first frame of a connection's remote video is presented. */
  function watchFirstFrame(track, entry) {
    playTrack(track, () => (entry.frameAt = performance.now()));
  }

  /** Notes when a remote video track presents its first frame (for `whenVideosShowing`). */
  function watchRemoteVideo(track, peer = null) {
    const entry = { track, frameAt: null, peer, since: performance.now() };
    remoteVideos.push(entry);
    playTrack(track, () => (entry.frameAt = performance.now()));
  }

  const NativePeerConnection = window.RTCPeerConnection;
  /** The `note(what)` of each connection, for the traced methods below. */
  const notes = new WeakMap();
  class WatchedPeerConnection extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      const entry = { connectedAt: null, frameAt: null, video: false };
      connections.push(entry);
      peerConnections.push(this);
      const index = connections.length - 1;
      const note = (what) => events.push({ at: performance.now(), what: `pc${index} ${what}` });
      notes.set(this, note);
      note('created');
      this.addEventListener('signalingstatechange', () => note(`signaling ${this.signalingState}`));
      this.addEventListener('icegatheringstatechange', () => note(`gathering ${this.iceGatheringState}`));
      this.addEventListener('icecandidate', ({ candidate }) => note(`local candidate ${candidate?.type ?? 'end'}`));
      this.addEventListener('iceconnectionstatechange', () => note(`ice ${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => {
        note(`connection ${this.connectionState}`);
        if (this.connectionState !== 'connected' || entry.connectedAt !== null) return;
        entry.connectedAt = performance.now();
        changed();
      });
      this.addEventListener('track', ({ track }) => {
        note(`track ${track.kind}`);
        if (track.kind === 'video') watchRemoteVideo(track);
        if (track.kind !== 'video' || entry.video) return;
        entry.video = true;
        watchFirstFrame(track, entry);
      });
    }
  }
  // The timeline also shows when each of these is called, and when it returns or settles.
  const TRACED = [
    'createOffer',
    'createAnswer',
    'setLocalDescription',
    'setRemoteDescription',
    'addIceCandidate',
    'addTrack',
    'addTransceiver',
    'createDataChannel',
  ];
  for (const name of TRACED) {
    const native = NativePeerConnection.prototype[name];
    WatchedPeerConnection.prototype[name] = function traced(...args) {
      const note = notes.get(this);
      const start = performance.now();
      const result = native.apply(this, args);
      const took = () => `${(performance.now() - start).toFixed(1)} ms`;
      if (result instanceof Promise) {
        note(`${name}()…`);
        result.then(
          () => note(`${name}() settled after ${took()}`),
          () => note(`${name}() failed after ${took()}`),
        );
      } else {
        note(`${name}() took ${took()}`);
      }
      return result;
    };
  }
  window.RTCPeerConnection = WatchedPeerConnection;

  /** The live remote video tracks that have shown a frame. */
  const liveShowing = () => remoteVideos.filter((e) => e.frameAt !== null && e.track.readyState === 'live');
  /** The Ponte room of this page, if it joined one. */
  const room = () => kept.find((k) => Room && k instanceof Room);
  /** Resolves once `test()` holds (checked on every change and every 100 ms); rejects after `timeoutMs` with `describe()`. */
  function waitUntil(test, timeoutMs, describe) {
    return new Promise((resolve, reject) => {
      const poll = setInterval(() => check(), 100);
      const timer = setTimeout(() => {
        clearInterval(poll);
        waiters.delete(check);
        reject(new Error(`not done after ${timeoutMs} ms: ${describe()}`));
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearInterval(poll);
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  }

  const isDone = (peers) =>
    connections.filter((entry) => entry.connectedAt !== null).length >= peers &&
    connections.filter((entry) => entry.frameAt !== null).length >= peers;

  /** Resolves with `new Peer(...)`'s id once it is registered on the PeerJS server. */
  function peerjsJoin({ port, id, call }) {
    const peer = new window.Peer(id, { host: '127.0.0.1', port, path: '/', config: { iceServers: [] } });
    kept.push(peer);
    peer.on('call', (incoming) => incoming.answer(stream));
    return new Promise((resolve, reject) => {
      peer.on('error', reject);
      peer.on('open', () => {
        for (const other of call) kept.push(peer.call(other, stream));
        resolve(id);
      });
    });
  }

  /** The floor: one bare RTCPeerConnection per pair, signaled over the bare relay. */
  function floorJoin({ url, call }) {
    const socket = new WebSocket(url);
    const peers = new Map();
    const send = (to, data) => socket.send(JSON.stringify({ to, data }));
    const open = (id) => {
      const pc = new RTCPeerConnection();
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      pc.onicecandidate = ({ candidate }) => candidate && send(id, { kind: 'candidates', candidates: [candidate] });
      const peer = { pc, queue: Promise.resolve() };
      peers.set(id, peer);
      return peer;
    };
    const onSignal = (from, data) => {
      const peer = peers.get(from) ?? open(from);
      // In order: a candidate needs the description before it.
      peer.queue = peer.queue.then(async () => {
        if (data.kind === 'candidates') {
          for (const candidate of data.candidates) await peer.pc.addIceCandidate(candidate);
          return;
        }
        await peer.pc.setRemoteDescription(data.description);
        if (data.description.type !== 'offer') return;
        await peer.pc.setLocalDescription();
        send(from, { kind: 'description', description: peer.pc.localDescription });
      });
    };
    kept.push(socket);
    return new Promise((resolve) => {
      socket.onmessage = ({ data }) => {
        const message = JSON.parse(data);
        if (message.type !== 'id') return onSignal(message.from, message.data);
        resolve(message.id);
        for (const id of call) {
          const { pc } = open(id);
          void pc.setLocalDescription().then(() => send(id, { kind: 'description', description: pc.localDescription }));
        }
      };
    });
  }

  /** Joins a Ponte room with the SDK; the camera and microphone are the stream acquired before t0. */
  async function ponteJoin({ url, room: roomId, id }) {
    const devices = { getUserMedia: async () => stream, getDisplayMedia: () => Promise.reject(new Error('no screen here')) };
    const room = new Room({ url, room: roomId, name: id, mediaDevices: devices });
    kept.push(room);
    room.on('topology', ({ mode }) => {
      topologies.push({ at: performance.now(), mode });
      changed();
    });
    // Whose each track is, as the SDK says (a track event of the SDK follows the connection's).
    room.on('track', ({ peer, track }) => {
      const entry = remoteVideos.find((e) => e.track === track);
      if (entry) entry.peer = peer.id;
    });
    await room.join({ audio: true, video: true });
    return id;
  }

  window.bench = {
    /**
     * Before t0: acquires the fake camera and microphone, and loads what `method` needs (the
     * SDK, or PeerJS, whose bundled webrtc-adapter patches RTCPeerConnection for the whole page).
     */
    async prepare(method) {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      if (method === 'ponte') ({ Room } = await import('/ponte-client.js'));
      if (method !== 'peerjs') return;
      const script = document.createElement('script');
      script.src = '/peerjs.min.js';
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      });
    },

    /**
     * Joins the call with `method` ('ponte' | 'floor' | 'peerjs'), calling the ids in
     * `options.call` (the floor and PeerJS; Ponte's server introduces peers itself). t0 is
     * the start of this call. Resolves with our id once we are registered with the server.
     */
    join(method, options) {
      t0 = performance.now();
      if (method === 'ponte') return ponteJoin(options);
      if (method === 'floor') return floorJoin(options);
      return peerjsJoin(options);
    },

    /**
     * Resolves once `peers` connections are `connected` and have shown a remote video frame,
     * with the times of each (ms from t0, sorted); rejects after `timeoutMs`.
     */
    whenDone(peers, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`not done after ${timeoutMs} ms: ${JSON.stringify(connections)}`));
        }, timeoutMs);
        const check = () => {
          if (!isDone(peers)) return;
          clearTimeout(timer);
          waiters.delete(check);
          const since = (key) =>
            connections
              .filter((entry) => entry[key] !== null)
              .map((entry) => entry[key] - t0)
              .sort((a, b) => a - b);
          resolve({ connected: since('connectedAt'), firstFrame: since('frameAt') });
        };
        waiters.add(check);
        check();
      });
    },

    /**
     * Resolves once `count` live remote video tracks have each shown a frame (whatever carries
     * them: a connection per peer, or one from the SFU); rejects after `timeoutMs`.
     */
    whenVideosShowing(count, timeoutMs = 60_000) {
      return waitUntil(
        () => liveShowing().length >= count,
        timeoutMs,
        () => `${liveShowing().length} of ${count} remote videos showing`,
      );
    },

    /** Resolves once the room's topology is `mode` (a Ponte room), with the ms it took from t0. */
    whenTopology(mode, timeoutMs = 60_000) {
      return waitUntil(
        () => room()?.topology === mode,
        timeoutMs,
        () => `topology ${room()?.topology}`,
      ).then(() => performance.now() - t0);
    },

    /**
     * How the last switch to `mode` went: ms from its `topology` event until each of `count`
     * peers had a new video track (received after the event) showing a frame, sorted; null
     * while not every peer has one.
     */
    switchDone(mode, count) {
      const event = topologies.filter((t) => t.mode === mode).at(-1);
      if (!event) return null;
      const firstByPeer = new Map();
      for (const { peer, frameAt, since } of remoteVideos) {
        if (peer === null || frameAt === null || since < event.at) continue;
        firstByPeer.set(peer, Math.min(firstByPeer.get(peer) ?? Infinity, frameAt - event.at));
      }
      return firstByPeer.size >= count ? [...firstByPeer.values()].sort((a, b) => a - b) : null;
    },

    /** Resolves {@link switchDone}'s times once every one of `count` peers has them. */
    async whenSwitched(mode, count, timeoutMs = 60_000) {
      await waitUntil(
        () => this.switchDone(mode, count) !== null,
        timeoutMs,
        () => `switch to ${mode} not done`,
      );
      return this.switchDone(mode, count);
    },

    /** Leaves the Ponte room (the others are told at once, unlike a closed page, which the server holds for a resume). */
    leave() {
      room()?.leave();
    },

    /** Bytes sent so far over every connection still open (RTP payload and headers), and the outbound video encodings. */
    async uplink() {
      let bytes = 0;
      let encodings = 0;
      for (const pc of peerConnections) {
        if (pc.connectionState === 'closed') continue;
        for (const report of (await pc.getStats()).values()) {
          if (report.type !== 'outbound-rtp') continue;
          bytes += (report.bytesSent ?? 0) + (report.headerBytesSent ?? 0);
          if (report.kind === 'video') encodings += 1;
        }
      }
      return { bytes, encodings, connections: peerConnections.filter((pc) => pc.connectionState !== 'closed').length };
    },

    /** The WebSocket frames so far, each way: frames, bytes, and frames by type. */
    signaling() {
      const total = { out: { frames: 0, bytes: 0 }, in: { frames: 0, bytes: 0 }, types: {} };
      for (const { dir, bytes, type } of frames) {
        total[dir].frames += 1;
        total[dir].bytes += bytes;
        const key = `${dir} ${type}`;
        total.types[key] = (total.types[key] ?? 0) + 1;
      }
      return total;
    },

    /**
     * What happened in this page, in order: frames (with type and bytes) and connection
     * events, each `{ at, what }` with `at` in ms since the epoch (`performance.timeOrigin`
     * based, so the pages of one machine can be merged), and t0 on the same clock.
     */
    timeline() {
      const lines = [...frames.map(({ at, dir, bytes, type }) => ({ at, what: `ws ${dir} ${type} (${bytes} B)` })), ...events];
      const epoch = (at) => performance.timeOrigin + at;
      return { t0: epoch(t0), lines: lines.map(({ at, what }) => ({ at: epoch(at), what })) };
    },
  };
})();
