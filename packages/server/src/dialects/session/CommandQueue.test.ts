import { describe, expect, it } from 'vitest';
import { CommandQueue } from './CommandQueue.js';

describe('CommandQueue', () => {
  it('runs tasks one after another, a later one after an earlier pending one', async () => {
    const failures: unknown[] = [];
    const queue = new CommandQueue({ taskFailed: (error) => failures.push(error) });
    const order: string[] = [];
    let release!: () => void;
    queue.enqueue('join', () => new Promise<void>((resolve) => (release = resolve)).then(() => order.push('join')).then(() => {}));
    queue.enqueue('signal', () => void order.push('signal'));
    expect(order).toEqual([]);
    release();
    await queue.idle();
    expect(order).toEqual(['join', 'signal']);
    expect(failures).toEqual([]);
  });

  it('reports a task that throws or rejects with its ref, and goes on', async () => {
    const failures: [unknown, string | undefined][] = [];
    const queue = new CommandQueue({ taskFailed: (error, ref) => failures.push([error, ref]) });
    const ran: string[] = [];
    queue.enqueue('update', () => {
      throw new Error('thrown');
    });
    queue.enqueue('join', () => Promise.reject(new Error('rejected')));
    queue.enqueue('leave', () => void ran.push('leave'));
    await queue.idle();
    expect(failures.map(([error, ref]) => [(error as Error).message, ref])).toEqual([
      ['thrown', 'update'],
      ['rejected', 'join'],
    ]);
    expect(ran).toEqual(['leave']);
  });

  it('skips the tasks that had not started when it was stopped', async () => {
    const queue = new CommandQueue({ taskFailed: () => {} });
    const ran: string[] = [];
    queue.enqueue('first', () => Promise.resolve().then(() => void ran.push('first')));
    queue.enqueue('stop', () => queue.stop());
    queue.enqueue('after', () => void ran.push('after'));
    await queue.idle();
    expect(ran).toEqual(['first']);
    expect(queue.stopped).toBe(true);
  });
});
