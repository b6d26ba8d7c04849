import type { PasswordFailures } from '@ponte/server';
import type { RedisLink } from './RedisLink.js';

/**
 * The {@link PasswordFailures} over Redis: a counter per key whose TTL restarts at each
 * failure, so every process sees the same count and Redis forgets it `forgetAfterMs` after
 * the last failure.
 */
export class RedisPasswordFailures implements PasswordFailures {
  readonly #link: RedisLink;
  readonly #forgetAfterMs: number;

  constructor(link: RedisLink, forgetAfterMs = 15 * 60_000) {
    this.#link = link;
    this.#forgetAfterMs = forgetAfterMs;
  }

  /** @inheritDoc */
  async count(key: string): Promise<number> {
    return Number((await this.#link.commands.get(this.#link.keys.passwordFailures(key))) ?? 0);
  }

  /** @inheritDoc */
  async fail(key: string): Promise<void> {
    await this.#link.run('ponteFail', key, this.#forgetAfterMs);
  }

  /** @inheritDoc */
  async clear(key: string): Promise<void> {
    await this.#link.commands.del(this.#link.keys.passwordFailures(key));
  }
}
