import { describe, expect, it } from 'vitest';
import { Availability, ROOMS_UNREACHABLE_MESSAGE, SHUTTING_DOWN_MESSAGE } from './Availability.js';

function availability(connected: boolean): { availability: Availability; backend: { connected: boolean } } {
  const backend = { connected };
  return { availability: new Availability({ status: () => ({ kind: 'shared', node: 'n1', connected: backend.connected }) }), backend };
}

describe('Availability', () => {
  it('takes joins while the rooms can be reached, and refuses them while they cannot', () => {
    const { availability: subject, backend } = availability(true);
    expect(subject.refusal()).toBeUndefined();
    backend.connected = false;
    expect(subject.refusal()).toBe(ROOMS_UNREACHABLE_MESSAGE);
    backend.connected = true;
    expect(subject.refusal()).toBeUndefined();
  });

  it('refuses every join once draining, saying the server is shutting down, whatever the store', () => {
    const { availability: subject, backend } = availability(true);
    subject.startDraining();
    expect(subject.draining).toBe(true);
    expect(subject.refusal()).toBe(SHUTTING_DOWN_MESSAGE);
    backend.connected = false;
    expect(subject.refusal()).toBe('this server is shutting down; reconnect');
  });

  it("reports the adapter's status as it is now", () => {
    const { availability: subject, backend } = availability(true);
    backend.connected = false;
    expect(subject.backend()).toEqual({ kind: 'shared', node: 'n1', connected: false });
  });
});
