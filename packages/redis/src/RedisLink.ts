import { Redis } from 'ioredis';
import { RedisKeys } from './keys.js';
import { SCRIPTS, type ScriptName } from './scripts.js';

/** Options of a {@link RedisLink}. */
export interface RedisLinkOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Prefix of every key and channel. Default `ponte:`. */
  keyPrefix?: string;
  /** How long connecting may take at start before it fails, in ms. Default 5000. */
  connectTimeoutMs?: number;
  /**
   * How long one command may wait for Redis's answer before it fails, in ms (a Redis that
   * stopped answering without closing the connection). Default 3000.
   */
  commandTimeoutMs?: number;
}

type ScriptArg = string | number | Buffer;
type ScriptCommand = (...args: ScriptArg[]) => Promise<unknown>;

/** Waits for a client's first `ready`, or fails with why it could not connect. */
function firstReady(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError = 'no answer';
    const timer = setTimeout(() => finish(new Error(`no connection within ${timeoutMs} ms (${lastError})`)), timeoutMs);
    const onError = (error: Error): void => {
      lastError = error.message;
    };
    const onReady = (): void => finish();
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      client.off('error', onError);
      client.off('ready', onReady);
      if (error) reject(error);
      else resolve();
    };
    client.on('error', onError);
    client.once('ready', onReady);
    client.connect().catch((error: Error) => {
      lastError = error.message;
    });
  });
}

/**
 * Ponte's connections to one Redis: one for commands (the scripts of scripts.ts, with
 * ioredis's auto-pipelining: the commands of one tick go out in one write) and one for the
 * subscription that brings this process's frames. While Redis cannot be reached commands
 * fail at once (no offline queue), or after `commandTimeoutMs` when Redis stops answering on
 * an open connection, and both connections keep retrying in the background.
 */
export class RedisLink {
  readonly keys: RedisKeys;
  readonly commands: Redis;
  readonly subscriber: Redis;
  readonly #scripts: Record<ScriptName, ScriptCommand>;
  readonly #scriptsBuffer: Record<ScriptName, ScriptCommand>;

  private constructor(options: RedisLinkOptions) {
    this.keys = new RedisKeys(options.keyPrefix ?? 'ponte:');
    const common = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
    };
    this.commands = new Redis(options.url, { ...common, enableAutoPipelining: true, commandTimeout: options.commandTimeoutMs ?? 3000 });
    this.subscriber = new Redis(options.url, common);
    for (const [name, lua] of Object.entries(SCRIPTS)) this.commands.defineCommand(name, { numberOfKeys: 0, lua });
    const commands = this.commands as unknown as Record<string, ScriptCommand>;
    const bind = (suffix: string) =>
      Object.fromEntries(Object.keys(SCRIPTS).map((name) => [name, commands[`${name}${suffix}`]!.bind(this.commands)])) as Record<
        ScriptName,
        ScriptCommand
      >;
    this.#scripts = bind('');
    this.#scriptsBuffer = bind('Buffer');
  }

  /** Connects both connections; rejects with why, after closing them, when Redis cannot be reached. */
  static async connect(options: RedisLinkOptions): Promise<RedisLink> {
    const link = new RedisLink(options);
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    try {
      await Promise.all([firstReady(link.commands, timeoutMs), firstReady(link.subscriber, timeoutMs)]);
    } catch (error) {
      // The caller names the (redacted) URL: the message says only why.
      link.close();
      throw error;
    }
    return link;
  }

  /** Whether both connections are up. */
  get connected(): boolean {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Runs a script (see scripts.ts); the key prefix goes first. Strings come back as strings. */
  run(name: ScriptName, ...args: ScriptArg[]): Promise<unknown> {
    return this.#scripts[name](this.keys.prefix, ...args);
  }

  /** Like {@link run}, with strings coming back as Buffers. */
  runBuffer(name: ScriptName, ...args: ScriptArg[]): Promise<unknown> {
    return this.#scriptsBuffer[name](this.keys.prefix, ...args);
  }

  /** Closes both connections at once; idempotent. */
  close(): void {
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}
