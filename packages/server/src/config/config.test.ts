import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { configFromEnv, DEFAULT_NODE_ID, DEFAULT_WEB_ROOT } from './config.js';

describe('configFromEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(configFromEnv({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      rooms: { nodeId: DEFAULT_NODE_ID },
      sfu: {},
      server: {
        maxPeersPerRoom: 8,
        maxPayload: 65_536,
        maxFragments: 1_024,
        pingTimeoutMs: 20_000,
        maxBufferedBytes: 67_108_864,
        sendStallTimeoutMs: 10_000,
        maxQueuedControlFrames: 32,
        handshakeTimeoutMs: 10_000,
        drainTimeoutMs: 10_000,
        iceServers: [],
        webRoot: DEFAULT_WEB_ROOT,
        logger: { level: 'info' },
      },
    });
    expect(DEFAULT_WEB_ROOT.replaceAll('\\', '/')).toMatch(/\/apps\/web\/dist$/);
    expect(DEFAULT_NODE_ID).toBe(`${hostname()}-${process.pid}`);
  });

  it('reads every variable', () => {
    const config = configFromEnv({
      PORT: '8080',
      HOST: '127.0.0.1',
      PONTE_MAX_PEERS: '4',
      PONTE_MAX_PAYLOAD: '2048',
      PONTE_PING_TIMEOUT_MS: '5000',
      PONTE_MAX_BUFFERED_BYTES: '1048576',
      PONTE_MAX_FRAGMENTS: '64',
      PONTE_SEND_STALL_MS: '3000',
      PONTE_MAX_QUEUED_CONTROL_FRAMES: '8',
      PONTE_HANDSHAKE_TIMEOUT_MS: '2000',
      PONTE_ICE_SERVERS: '[{"urls":["turn:t.example.org"],"username":"u","credential":"c"},{"urls":"stun:s.example.org"}]',
      PONTE_WEB_ROOT: '/srv/web',
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://:pw@redis.internal:6379/2',
      PONTE_NODE_ID: 'web-3',
      PONTE_DRAIN_TIMEOUT_MS: '30000',
      PONTE_SECRET: 'the-secret-every-process-shares',
      PONTE_JANUS_URL: 'wss://janus.internal/ws',
      PONTE_JANUS_API_SECRET: 'janus-api-secret-123',
      PONTE_JANUS_ADMIN_KEY: 'videoroom-admin',
      PONTE_SFU_FROM: '6',
      PONTE_MESH_AT_MOST: '2',
      PONTE_SFU_MAX_PEERS: '30',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      rooms: { redisUrl: 'redis://:pw@redis.internal:6379/2', nodeId: 'web-3' },
      sfu: { janusUrl: 'wss://janus.internal/ws', apiSecret: 'janus-api-secret-123', adminKey: 'videoroom-admin' },
      server: {
        maxPeersPerRoom: 4,
        maxPayload: 2048,
        maxFragments: 64,
        pingTimeoutMs: 5000,
        maxBufferedBytes: 1_048_576,
        sendStallTimeoutMs: 3000,
        maxQueuedControlFrames: 8,
        handshakeTimeoutMs: 2000,
        drainTimeoutMs: 30_000,
        iceServers: [{ urls: ['turn:t.example.org'], username: 'u', credential: 'c' }, { urls: 'stun:s.example.org' }],
        webRoot: '/srv/web',
        logger: { level: 'debug' },
        secret: 'the-secret-every-process-shares',
        topology: { sfuFrom: 6, meshAtMost: 2 },
        sfuMaxPeersPerRoom: 30,
      },
    });
  });

  it('refuses PONTE_JANUS_URL without PONTE_SECRET, and a URL that is not ws:// or wss://', () => {
    expect(() => configFromEnv({ PONTE_JANUS_URL: 'ws://127.0.0.1:8188' })).toThrow(/PONTE_JANUS_URL needs PONTE_SECRET/);
    expect(() => configFromEnv({ PONTE_JANUS_URL: 'http://janus:8088', PONTE_SECRET: 'sixteen-chars-or-more' })).toThrow(/ws:\/\/ or wss:\/\//);
  });

  it('refuses REDIS_URL without PONTE_SECRET, which every process sharing the rooms must have', () => {
    expect(() => configFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL needs PONTE_SECRET/);
    expect(configFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379', PONTE_SECRET: 'sixteen-chars-or-more' }).rooms.redisUrl).toBe(
      'redis://127.0.0.1:6379',
    );
  });

  it('treats empty values as unset', () => {
    expect(configFromEnv({ PORT: '', PONTE_ICE_SERVERS: ' ', LOG_LEVEL: '' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PONTE_MAX_PEERS', '0'],
    ['PONTE_MAX_PEERS', '1e3'],
    ['PONTE_MAX_PAYLOAD', '10'],
    ['PONTE_PING_TIMEOUT_MS', 'soon'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_URL', 'http://redis.internal'],
    ['REDIS_URL', 'not a url'],
    ['PONTE_NODE_ID', 'two words'],
    ['PONTE_DRAIN_TIMEOUT_MS', '-1'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(name);
  });

  it.each([
    ['not JSON', '[{'],
    ['not an array', '{"urls":"stun:x"}'],
    ['an entry without urls', '[{"username":"u"}]'],
    ['an entry with an unknown field', '[{"urls":"stun:x","url":"stun:x"}]'],
    ['a wrongly typed credential', '[{"urls":"turn:x","credential":5}]'],
  ])('refuses PONTE_ICE_SERVERS that is %s', (_label, value) => {
    expect(() => configFromEnv({ PONTE_ICE_SERVERS: value })).toThrow(/PONTE_ICE_SERVERS/);
  });
});
