/** Told when a task of a {@link CommandQueue} throws or rejects. */
export interface TaskFailureHandler {
  /** `ref` is what the queue was given with the task: the command it handles. */
  taskFailed(error: unknown, ref: string | undefined): void;
}

/**
 * The commands of one connection, run strictly one after another: replies keep the order of
 * the requests, and a second join cannot overtake a pending first one. A task that throws or
 * rejects is reported to the owner, and the queue goes on.
 */
export class CommandQueue {
  readonly #owner: TaskFailureHandler;
  /** The last task started or queued, while one is unfinished; undefined when idle. */
  #tail: Promise<void> | undefined;
  #stopped = false;

  /** A queue that reports failed tasks to `owner`. */
  constructor(owner: TaskFailureHandler) {
    this.#owner = owner;
  }

  /** Whether {@link stop} was called: tasks that have not started are skipped. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs no task that has not started yet. */
  stop(): void {
    this.#stopped = true;
  }

  /** Resolves once every task queued so far has run. */
  idle(): Promise<void> {
    return this.#tail ?? Promise.resolve();
  }

  /** Runs `task` now if the queue is idle (the usual case), else after the queued ones. */
  enqueue(ref: string | undefined, task: () => Promise<void> | void): void {
    const pending = this.#tail === undefined ? this.#run(ref, task) : this.#tail.then(() => this.#run(ref, task));
    if (pending === undefined) return;
    const tail: Promise<void> = pending.then(() => {
      if (this.#tail === tail) this.#tail = undefined;
    });
    this.#tail = tail;
  }

  /** Runs one task; one that throws or rejects is reported. */
  #run(ref: string | undefined, task: () => Promise<void> | void): Promise<void> | undefined {
    if (this.#stopped) return undefined;
    try {
      return task()?.catch((error: unknown) => this.#owner.taskFailed(error, ref));
    } catch (error) {
      this.#owner.taskFailed(error, ref);
      return undefined;
    }
  }
}
