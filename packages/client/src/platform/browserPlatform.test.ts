import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakePlatform } from '../../test/fakePlatform.js';
import { LocalMedia } from '../room/LocalMedia.js';
import { browserPlatform } from './browserPlatform.js';
import { overridePlatform, type Platform } from './Platform.js';

describe('browserPlatform', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('can be made and the SDK imported where there is no browser (Node)', async () => {
    expect(typeof globalThis.RTCPeerConnection).toBe('undefined');
    const sdk = await import('../index.js');
    expect(() => sdk.browserPlatform()).not.toThrow();
    expect(() => new sdk.Room({ url: 'ws://localhost/ws', room: 'r', name: 'n', platform: fakePlatform().platform })).not.toThrow();
  });

  it('throws UNSUPPORTED_PLATFORM, naming the missing global, only when it is used', () => {
    const platform = browserPlatform();
    expect(() => platform.RTCPeerConnection).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_PLATFORM', reason: 'RTCPeerConnection' }));
    expect(() => platform.WebSocket).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_PLATFORM', reason: 'WebSocket' }));
    expect(platform.mediaDevices).toBeUndefined();
  });

  it('reads each global when it is used, so a constructor wrapped later is the one used', () => {
    const platform = browserPlatform();
    class First {}
    class Second {}
    vi.stubGlobal('MediaStream', First);
    expect(platform.MediaStream).toBe(First);
    vi.stubGlobal('MediaStream', Second);
    expect(platform.MediaStream).toBe(Second);
  });
});

describe('overridePlatform', () => {
  it('takes the overrides, and reads the base only for what is not overridden', () => {
    const { platform: fake } = fakePlatform();
    const base: Platform = {
      get RTCPeerConnection(): Platform['RTCPeerConnection'] {
        throw new Error('the base was read');
      },
      MediaStream: fake.MediaStream,
      WebSocket: fake.WebSocket,
    };
    const platform = overridePlatform(base, { RTCPeerConnection: fake.RTCPeerConnection, WebSocket: undefined });
    expect(platform.RTCPeerConnection).toBe(fake.RTCPeerConnection);
    expect(platform.WebSocket).toBe(fake.WebSocket);
    expect(platform.mediaDevices).toBeUndefined();
  });
});

describe('LocalMedia on a platform without media devices', () => {
  it('joins without devices, saying so, and fails to turn the microphone on with MEDIA_FAILED', async () => {
    const local = new LocalMedia(undefined, fakePlatform({ devices: false }).platform);
    await local.start({ audio: true, video: true });
    expect(local.state).toEqual({ audio: false, video: false, screen: false });
    expect(local.warning).toMatch(/No camera or microphone could be used/);
    await expect(local.setMicrophone(true)).rejects.toMatchObject({ code: 'MEDIA_FAILED' });
    await expect(local.startScreenShare()).rejects.toMatchObject({ code: 'SCREEN_SHARE_FAILED' });
  });

  it('captures from the devices given, over the platform', async () => {
    const { platform, devices } = fakePlatform({ devices: false });
    const local = new LocalMedia(fakePlatform().devices, platform);
    await local.start({ audio: true, video: true });
    expect(local.state).toEqual({ audio: true, video: true, screen: false });
    expect(devices.tracks).toHaveLength(0);
  });
});
