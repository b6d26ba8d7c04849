import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import type {} from '../../server/test/redis/providedContext.js';
import { describePasswordFailuresContract } from '../../server/src/admission/passwordFailures.contract.js';
import { describePeerBusContract } from '../../server/src/rooms/contract/peerBus.contract.js';
import { describeRoomStoreContract } from '../../server/src/rooms/contract/roomStore.contract.js';
import { describeSessionStoreContract } from '../../server/src/rooms/contract/sessionStore.contract.js';
import { RedisLink } from '../src/RedisLink.js';
import { RedisPasswordFailures } from '../src/RedisPasswordFailures.js';
import { RedisPeerBus } from '../src/RedisPeerBus.js';
import { RedisRoomStore } from '../src/RedisRoomStore.js';
import { RedisSessionStore } from '../src/RedisSessionStore.js';

// The same contract suites as the in-memory seams, against the run's real redis-server: each
// "process" is its own pair of connections, and each test its own key prefix (a fresh, empty store).
const url = inject('redisUrl');
const links: RedisLink[] = [];
afterAll(() => {
  for (const link of links) link.close();
});

async function processes(count: number): Promise<RedisLink[]> {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  const made = await Promise.all(Array.from({ length: count }, () => RedisLink.connect({ url, keyPrefix })));
  links.push(...made);
  return made;
}

/** Closes the connections a contract test's stores leave open (their close() does not own them). */
function closing<T extends { close(): Promise<void> }>(store: T, link: RedisLink): T {
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    link.close();
  };
  return store;
}

describeRoomStoreContract('redis', async (count) => (await processes(count)).map((link) => closing(new RedisRoomStore(link), link)));

describePeerBusContract('redis', async (count) => {
  const made = await processes(count);
  const buses = made.map((link, i) => closing(new RedisPeerBus(link, `node-${i}`, 128), link));
  await Promise.all(buses.map((bus) => bus.start()));
  return { store: new RedisRoomStore(made[0]!), buses };
});

describeSessionStoreContract('redis', async (count, setup) =>
  (await processes(count)).map((link, i) => closing(new RedisSessionStore(link, `node-${i}`, { ...setup, reconnectGraceMs: 1000 }), link)),
);

describePasswordFailuresContract('redis', async () => (await processes(2)).map((link) => new RedisPasswordFailures(link, 60_000)));
