import { describe, expect, it } from 'vitest';
import type { SfuBridge } from './media/SfuBridge.js';
import { JANUS_PLUGIN, openSfuBridge, SfuBackendError, type JanusSfuModule } from './openSfuBridge.js';
import type { ModuleLoader } from './openRoomAdapter.js';

// The plug-in over a real Janus is started from main.ts in test/sfuMain.test.ts.

/** A loader that gives a plug-in whose connectJanusSfu does `connect`, and records its calls. */
function plugin(connect: JanusSfuModule['connectJanusSfu']): { load: ModuleLoader; loaded: string[]; calls: unknown[] } {
  const loaded: string[] = [];
  const calls: unknown[] = [];
  const module: JanusSfuModule = {
    connectJanusSfu(options) {
      calls.push(options);
      return connect(options);
    },
  };
  return { load: (specifier) => (loaded.push(specifier), Promise.resolve(module)), loaded, calls };
}

describe('openSfuBridge', () => {
  it('gives no SFU, loading nothing, when no Janus URL is set', async () => {
    const load: ModuleLoader = () => Promise.reject(new Error('nothing should be loaded'));
    expect(await openSfuBridge({}, 'secret', 'web-1', load)).toBeUndefined();
  });

  it("loads @ponte/janus and returns its bridge, with the rooms' secret and the node", async () => {
    const bridge = {} as SfuBridge;
    const { load, loaded, calls } = plugin(() => Promise.resolve(bridge));
    expect(await openSfuBridge({ janusUrl: 'ws://janus:8188', adminKey: 'k' }, 'the-secret', 'web-2', load)).toBe(bridge);
    expect(loaded).toEqual([JANUS_PLUGIN]);
    expect(calls).toEqual([{ url: 'ws://janus:8188', roomSecret: 'the-secret', nodeId: 'web-2', adminKey: 'k' }]);
  });

  it('says Janus cannot be reached, on one line and without a password in the URL', async () => {
    const url = 'wss://user:pw@janus.internal/ws';
    const { load } = plugin(() => Promise.reject(new Error(`connect ECONNREFUSED\n  at ${url}`)));
    const failure = openSfuBridge({ janusUrl: url }, 's', 'n', load);
    await expect(failure).rejects.toBeInstanceOf(SfuBackendError);
    await expect(failure).rejects.toThrow(
      'cannot reach Janus at wss://user:***@janus.internal/ws: connect ECONNREFUSED at wss://user:***@janus.internal/ws',
    );
  });

  it('says @ponte/janus could not be loaded, or lacks connectJanusSfu', async () => {
    const missing: ModuleLoader = () => Promise.reject(new Error("Cannot find package '@ponte/janus'"));
    await expect(openSfuBridge({ janusUrl: 'ws://j:8188' }, 's', 'n', missing)).rejects.toThrow(/@ponte\/janus could not be loaded/);
    await expect(openSfuBridge({ janusUrl: 'ws://j:8188' }, 's', 'n', () => Promise.resolve({}))).rejects.toThrow(/has no connectJanusSfu/);
  });
});
