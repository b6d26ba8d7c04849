import { beforeEach, describe, expect, it } from 'vitest';
import type { PasswordFailures } from './PasswordFailures.js';

/**
 * The contract every {@link PasswordFailures} passes. `make(now)` returns handles on ONE
 * fresh store, as two processes would hold them, that forgets a key 60 s (of `now`) after
 * its last failure; where a store keeps time itself (Redis TTLs) the suite's clock only
 * matters to stores that read it.
 */
export function describePasswordFailuresContract(name: string, make: (now: () => number) => Promise<PasswordFailures[]> | PasswordFailures[]): void {
  describe(`PasswordFailures contract: ${name}`, () => {
    let a: PasswordFailures;
    let b: PasswordFailures;

    beforeEach(async () => {
      const handles = await make(() => 1_700_000_000_000);
      a = handles[0]!;
      b = handles[1] ?? a;
    });

    it('counts failures per key across processes and forgets them on clear', async () => {
      expect(await a.count('r:1.2.3.4')).toBe(0);
      await a.fail('r:1.2.3.4');
      await b.fail('r:1.2.3.4');
      await b.fail('r:5.6.7.8');
      expect(await a.count('r:1.2.3.4')).toBe(2);
      expect(await b.count('r:5.6.7.8')).toBe(1);
      expect(await b.count('other:1.2.3.4')).toBe(0);
      await b.clear('r:1.2.3.4');
      expect(await a.count('r:1.2.3.4')).toBe(0);
      expect(await a.count('r:5.6.7.8')).toBe(1);
    });
  });
}
