// THROWAWAY fake of @ponte/client for UI work before the SDK lands. Delete before final commit.
export interface MediaState { audio: boolean; video: boolean; screen: boolean }
export interface RemotePeer { id: string; name: string; state: MediaState; stream: MediaStream; connectionState: RTCPeerConnectionState }
export interface LocalMedia { stream: MediaStream; state: MediaState; warning: string | null }
export class PonteError extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}
interface Events {
  joined: { id: string; name: string; state: MediaState };
  'peer-joined': RemotePeer; 'peer-left': { peer: RemotePeer; reason: 'left' | 'disconnected' | 'timeout' };
  'peer-updated': RemotePeer; track: { peer: RemotePeer; track: MediaStreamTrack };
  'connection-state': { peer: RemotePeer; state: RTCPeerConnectionState };
  'local-media': LocalMedia; error: PonteError; closed: { reason: string; error?: PonteError };
}
function canvasStream(label: string): MediaStream {
  const c = document.createElement('canvas'); c.width = 640; c.height = 360;
  const g = c.getContext('2d')!; let t = 0;
  setInterval(() => { t++; g.fillStyle = `hsl(${t % 360} 50% 40%)`; g.fillRect(0, 0, 640, 360); g.fillStyle = '#fff'; g.font = '40px sans-serif'; g.fillText(label, 40, 180); }, 100);
  return c.captureStream(10);
}
export class Room {
  self: { id: string; name: string; state: MediaState } | null = null;
  peers = new Map<string, RemotePeer>();
  local: LocalMedia = { stream: new MediaStream(), state: { audio: false, video: false, screen: false }, warning: null };
  #l = new Map<string, Set<(p: never) => void>>();
  constructor(readonly opts: { url: string; room: string; name: string }) {}
  on<K extends keyof Events>(n: K, fn: (p: Events[K]) => void): () => void {
    let s = this.#l.get(n); if (!s) { s = new Set(); this.#l.set(n, s); } s.add(fn as (p: never) => void); return () => this.off(n, fn);
  }
  off<K extends keyof Events>(n: K, fn: (p: Events[K]) => void): void { this.#l.get(n)?.delete(fn as (p: never) => void); }
  #emit<K extends keyof Events>(n: K, p: Events[K]): void { for (const f of this.#l.get(n) ?? []) (f as (p: Events[K]) => void)(p); }
  async join(o: { audio: boolean; video: boolean }): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    if (this.opts.room === 'full') throw new PonteError('ROOM_FULL', 'The room is full (8 peers).');
    try { this.local.stream = await navigator.mediaDevices.getUserMedia({ audio: o.audio, video: o.video }); } catch { this.local.warning = 'No camera was found, so you joined with audio only.'; }
    this.local.state = { audio: o.audio, video: o.video, screen: false };
    this.self = { id: 'me1', name: this.opts.name, state: this.local.state };
    this.#emit('joined', this.self);
    const n = Number(new URLSearchParams(location.search).get('peers') ?? '2');
    const names = ['Bruno Alves', 'Carla', 'Diego', 'Eva', 'Fatima', 'Gil', 'Hana'];
    for (let i = 0; i < n; i++) {
      const p: RemotePeer = { id: `p${i}`, name: names[i] ?? `P${i}`, state: { audio: i !== 1, video: i !== 2, screen: i === 3 }, stream: i !== 2 ? canvasStream(names[i] ?? '') : new MediaStream(), connectionState: i === 0 ? 'connecting' : 'connected' };
      this.peers.set(p.id, p); this.#emit('peer-joined', p);
    }
    setTimeout(() => { const p = this.peers.get('p0'); if (p) { p.connectionState = 'connected'; this.#emit('connection-state', { peer: p, state: 'connected' }); } }, 3000);
  }
  async setMicrophone(on: boolean): Promise<void> { this.local.state = { ...this.local.state, audio: on }; this.#emit('local-media', this.local); }
  async setCamera(on: boolean): Promise<void> { if (on && this.opts.name === 'deny') throw new PonteError('MEDIA_DENIED', 'Access to the camera was denied.'); this.local.state = { ...this.local.state, video: on }; this.#emit('local-media', this.local); }
  async startScreenShare(): Promise<void> { this.local.state = { ...this.local.state, screen: true }; this.#emit('local-media', this.local); }
  async stopScreenShare(): Promise<void> { this.local.state = { ...this.local.state, screen: false }; this.#emit('local-media', this.local); }
  async switchDevice(_k: 'audioinput' | 'videoinput', _d: string): Promise<void> {}
  leave(): void { this.local.stream.getTracks().forEach((t) => t.stop()); this.#emit('closed', { reason: 'left' }); }
}
