import type { MediaState } from '@ponte/protocol';
import { PonteError } from '../errors/PonteError.js';
import { TypedEmitter } from '../events/TypedEmitter.js';
import { browserPlatform } from '../platform/browserPlatform.js';
import type { MediaDevicesLike, Platform } from '../platform/Platform.js';
import type { MediaKind } from '../topology/MediaTopology.js';

/** What to capture when joining: true, false, or constraints for that device. */
export interface MediaRequest {
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
}

/** Events of {@link LocalMedia}. */
export interface LocalMediaEvents {
  /** The track to send for `kind` changed (null: send nothing of that kind). */
  'track-changed': { kind: MediaKind; track: MediaStreamTrack | null };
  /** The on/off state or the preview stream changed. */
  change: MediaState;
}

/**
 * The local participant's camera, microphone and screen share: acquires them, turns them
 * on and off, switches devices, and says which track should be sent for each kind.
 * Muting the microphone disables its track (instant, no device restart); turning the
 * camera off stops it so the camera light goes off.
 */
export class LocalMedia extends TypedEmitter<LocalMediaEvents> {
  /** Everything we currently send, for a local preview: microphone plus camera or screen. */
  readonly stream: MediaStream;
  /** A human-readable note when joining could not get every device asked for. */
  warning: string | null = null;
  #audio: MediaStreamTrack | null = null;
  #camera: MediaStreamTrack | null = null;
  #screen: MediaStreamTrack | null = null;
  #audioEnabled = false;
  #cameraConstraints: MediaTrackConstraints | boolean = true;
  #audioConstraints: MediaTrackConstraints | boolean = true;
  readonly #devices: MediaDevicesLike | undefined;
  readonly #platform: Pick<Platform, 'MediaStream' | 'mediaDevices'>;

  /**
   * @param devices What to capture from, overriding the platform's `mediaDevices`.
   * @param platform Where `MediaStream` and the devices come from. Default {@link browserPlatform}.
   */
  constructor(devices?: MediaDevicesLike, platform: Pick<Platform, 'MediaStream' | 'mediaDevices'> = browserPlatform()) {
    super();
    this.#devices = devices;
    this.#platform = platform;
    this.stream = new platform.MediaStream();
  }

  /** On/off state as the room sees it. */
  get state(): MediaState {
    return { audio: this.#audio !== null && this.#audioEnabled, video: this.#camera !== null, screen: this.#screen !== null };
  }

  /** The track to send for `kind`: the microphone, or the screen share over the camera. */
  track(kind: MediaKind): MediaStreamTrack | null {
    return kind === 'audio' ? this.#audio : (this.#screen ?? this.#camera);
  }

  /**
   * Acquires what `request` asks for. Never rejects for missing or denied devices: it falls
   * back to audio only, then to nothing, and sets {@link warning} to say so.
   */
  async start(request: MediaRequest): Promise<void> {
    const wantAudio = request.audio ?? true;
    const wantVideo = request.video ?? true;
    this.#audioConstraints = wantAudio || true;
    this.#cameraConstraints = wantVideo || true;
    let videoError: PonteError | null = null;
    let audioError: PonteError | null = null;
    if (wantAudio && wantVideo) {
      try {
        const stream = await this.#mediaDevices('camera and microphone').getUserMedia({ audio: wantAudio, video: wantVideo });
        this.#setAudio(stream.getAudioTracks()[0] ?? null);
        this.#setCamera(stream.getVideoTracks()[0] ?? null);
        return this.#changed();
      } catch {
        // Find out which device is the problem by asking for each alone.
      }
    }
    if (wantVideo) {
      try {
        this.#setCamera(await this.#getTrack('video', wantVideo));
      } catch (error) {
        videoError = error as PonteError;
      }
    }
    if (wantAudio) {
      try {
        this.#setAudio(await this.#getTrack('audio', wantAudio));
      } catch (error) {
        audioError = error as PonteError;
      }
    }
    this.warning = describeFallback(videoError, audioError);
    this.#changed();
  }

  /** Turns the microphone on or off, acquiring it first if we joined without one. */
  async setMicrophone(on: boolean): Promise<void> {
    if (on && !this.#audio) this.#setAudio(await this.#getTrack('audio', this.#audioConstraints));
    this.#audioEnabled = on;
    if (this.#audio) this.#audio.enabled = on;
    this.#changed();
  }

  /** Turns the camera on (acquiring it) or off (stopping it). */
  async setCamera(on: boolean): Promise<void> {
    if (on === (this.#camera !== null)) return;
    this.#setCamera(on ? await this.#getTrack('video', this.#cameraConstraints) : null);
    this.#changed();
  }

  /** Uses another microphone or camera, by `deviceId`. */
  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    const media: MediaKind = kind === 'audioinput' ? 'audio' : 'video';
    const constraints = { deviceId: { exact: deviceId } };
    const track = await this.#getTrack(media, constraints);
    if (media === 'audio') {
      this.#audioConstraints = constraints;
      track.enabled = this.#audioEnabled;
      this.#setAudio(track);
    } else {
      this.#cameraConstraints = constraints;
      this.#setCamera(track);
    }
    this.#changed();
  }

  /** Starts sharing the screen in place of the camera. Stops by itself when the browser ends it. */
  async startScreenShare(): Promise<void> {
    if (this.#screen) return;
    let stream: MediaStream;
    try {
      stream = await this.#mediaDevices('screen').getDisplayMedia({ video: true, audio: false });
    } catch (cause) {
      throw new PonteError('SCREEN_SHARE_FAILED', 'Screen sharing was cancelled or is not available.', { cause });
    }
    const track = stream.getVideoTracks()[0];
    if (!track) throw new PonteError('SCREEN_SHARE_FAILED', 'The shared screen has no video.');
    track.contentHint = 'detail';
    track.addEventListener('ended', () => this.stopScreenShare());
    this.#replace(this.#screen, track);
    this.#screen = track;
    this.emit('track-changed', { kind: 'video', track });
    this.#changed();
  }

  /** Stops sharing the screen and goes back to the camera (if it is on). */
  stopScreenShare(): void {
    if (!this.#screen) return;
    this.#screen.stop();
    this.#replace(this.#screen, this.#camera);
    this.#screen = null;
    this.emit('track-changed', { kind: 'video', track: this.#camera });
    this.#changed();
  }

  /** Stops every device. */
  stop(): void {
    for (const track of [this.#audio, this.#camera, this.#screen]) track?.stop();
    for (const track of this.stream.getTracks()) this.stream.removeTrack(track);
    this.#audio = this.#camera = this.#screen = null;
    this.#changed();
  }

  async #getTrack(kind: MediaKind, constraints: boolean | MediaTrackConstraints): Promise<MediaStreamTrack> {
    const what = kind === 'audio' ? 'microphone' : 'camera';
    try {
      const stream = await this.#mediaDevices(what).getUserMedia({ [kind]: constraints });
      const track = stream.getTracks()[0];
      if (!track) throw new PonteError('MEDIA_NOT_FOUND', `No ${what} was found.`);
      return track;
    } catch (error) {
      throw error instanceof PonteError ? error : PonteError.media(error, what);
    }
  }

  /**
   * The devices to capture `what` from. A host without any (Node; a page outside a secure
   * context) fails like a device that would not start: `MEDIA_FAILED`, caught by the callers.
   */
  #mediaDevices(what: string): MediaDevicesLike {
    const devices = this.#devices ?? this.#platform.mediaDevices;
    if (!devices) throw PonteError.media(PonteError.unsupportedPlatform('mediaDevices'), what);
    return devices;
  }

  #setAudio(track: MediaStreamTrack | null): void {
    this.#replace(this.#audio, track);
    this.#audio?.stop();
    this.#audio = track;
    if (track) this.#audioEnabled = track.enabled;
    this.emit('track-changed', { kind: 'audio', track });
  }

  #setCamera(track: MediaStreamTrack | null): void {
    if (!this.#screen) this.#replace(this.#camera, track);
    this.#camera?.stop();
    this.#camera = track;
    if (!this.#screen) this.emit('track-changed', { kind: 'video', track });
  }

  /** Swaps `previous` for `next` in the preview stream. */
  #replace(previous: MediaStreamTrack | null, next: MediaStreamTrack | null): void {
    if (previous) this.stream.removeTrack(previous);
    if (next) this.stream.addTrack(next);
  }

  #changed(): void {
    this.emit('change', this.state);
  }
}

/** The message shown when joining could not get every requested device. */
function describeFallback(video: PonteError | null, audio: PonteError | null): string | null {
  if (video && audio) {
    const denied = video.code === 'MEDIA_DENIED' || audio.code === 'MEDIA_DENIED';
    return denied
      ? 'Camera and microphone access was denied, so you joined without them. You can still see and hear the others.'
      : 'No camera or microphone could be used, so you joined without them. You can still see and hear the others.';
  }
  if (video) {
    return video.code === 'MEDIA_DENIED'
      ? 'Camera access was denied, so you joined with audio only.'
      : video.code === 'MEDIA_NOT_FOUND'
        ? 'No camera was found, so you joined with audio only.'
        : 'The camera could not be started, so you joined with audio only.';
  }
  if (audio) {
    return audio.code === 'MEDIA_DENIED'
      ? 'Microphone access was denied, so you joined with video only.'
      : 'No microphone could be used, so you joined with video only.';
  }
  return null;
}
