import { cancellable, type SignalOptions } from '@aiotools/core';

const WAITING = 0;
const READY = 1;
const DONE = 2;

/** One pending call in a {@link WaiterList}. */
export class Waiter<V, R> {
  prev: Waiter<V, R> | undefined = undefined;
  next: Waiter<V, R> | undefined = undefined;
  state = WAITING;

  constructor(
    /** What the call brings: the item of a `put`, the guard of an `acquire`. */
    readonly value: V,
    readonly resolve: (result: R) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** A doubly linked FIFO of waiters: O(1) append, unlink and shift. */
class Chain<V, R> {
  head: Waiter<V, R> | undefined = undefined;
  tail: Waiter<V, R> | undefined = undefined;
  size = 0;

  append(waiter: Waiter<V, R>): void {
    waiter.prev = this.tail;
    waiter.next = undefined;
    if (this.tail === undefined) this.head = waiter;
    else this.tail.next = waiter;
    this.tail = waiter;
    this.size++;
  }

  unlink(waiter: Waiter<V, R>): void {
    const { prev, next } = waiter;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.size--;
  }
}

/**
 * The waiting calls of one primitive, FIFO, in two stages. `wake()` moves the first waiting
 * call to the *ready* stage: what it waits for (an item, a slot, the lock) is reserved for it
 * at once, and it completes at the next `flush()`, which runs in a microtask (or earlier,
 * when the primitive flushes before an operation). A call cancelled while ready gives its
 * reservation back through `handOver`, so the primitive can pass it to the next waiter: a
 * wake-up is never lost, and a cancelled call never takes anything.
 */
export class WaiterList<V, R> {
  readonly #waitingChain = new Chain<V, R>();
  readonly #readyChain = new Chain<V, R>();
  #scheduled = false;
  readonly #flushSoon = (): void => this.flush();

  /** Completes a ready call: takes what was reserved for it and returns its result. */
  readonly #complete: (waiter: Waiter<V, R>) => R;
  /** Gives back what was reserved for a ready call that was cancelled. */
  readonly #handOver: (waiter: Waiter<V, R>) => void;

  constructor(complete: (waiter: Waiter<V, R>) => R, handOver: (waiter: Waiter<V, R>) => void) {
    this.#complete = complete;
    this.#handOver = handOver;
  }

  /** Calls waiting and not woken yet. */
  get waiting(): number {
    return this.#waitingChain.size;
  }

  /** Calls woken (holding a reservation) that have not completed yet. */
  get ready(): number {
    return this.#readyChain.size;
  }

  /** Waits in line; cancellable through `options.signal` or the ambient scope. */
  wait(value: V, options: SignalOptions | undefined): Promise<R> {
    return cancellable<R>((resolve, reject) => {
      const waiter = this.#add(value, resolve, reject);
      return () => this.#withdraw(waiter);
    }, options);
  }

  /** Waits in line, deaf to cancellation. */
  waitShielded(value: V): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#add(value, resolve, reject);
    });
  }

  /** Moves the first waiting call to the ready stage and returns it. */
  wake(): Waiter<V, R> | undefined {
    const waiter = this.#waitingChain.head;
    if (waiter === undefined) return undefined;
    this.#waitingChain.unlink(waiter);
    waiter.state = READY;
    this.#readyChain.append(waiter);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushSoon);
    }
    return waiter;
  }

  /** Completes every ready call, in the order they were woken. */
  flush(): void {
    this.#scheduled = false;
    const chain = this.#readyChain;
    for (let waiter = chain.head; waiter !== undefined; waiter = chain.head) {
      chain.unlink(waiter);
      waiter.state = DONE;
      waiter.resolve(this.#complete(waiter));
    }
  }

  /** Settles every waiting call (not the ready ones) with `result`. */
  resolveWaiting(result: R): void {
    const chain = this.#waitingChain;
    for (let waiter = chain.head; waiter !== undefined; waiter = chain.head) {
      chain.unlink(waiter);
      waiter.state = DONE;
      waiter.resolve(result);
    }
  }

  /** Rejects every waiting call (not the ready ones) with a new error from `makeError`. */
  rejectWaiting(makeError: () => unknown): void {
    const chain = this.#waitingChain;
    for (let waiter = chain.head; waiter !== undefined; waiter = chain.head) {
      chain.unlink(waiter);
      waiter.state = DONE;
      waiter.reject(makeError());
    }
  }

  #add(value: V, resolve: (result: R) => void, reject: (error: unknown) => void): Waiter<V, R> {
    const waiter = new Waiter<V, R>(value, resolve, reject);
    this.#waitingChain.append(waiter);
    return waiter;
  }

  /** The call was cancelled before it completed. */
  #withdraw(waiter: Waiter<V, R>): void {
    if (waiter.state === WAITING) {
      this.#waitingChain.unlink(waiter);
    } else if (waiter.state === READY) {
      this.#readyChain.unlink(waiter);
      waiter.state = DONE;
      this.#handOver(waiter);
    }
    waiter.state = DONE;
  }
}
