// 100k waiters, each sleeping far in the future under one root; cancel the root and wait until
// every waiter has unwound (its promise settled). Compared: @aiotools CancelScope children, a
// floor of 100k setTimeout + clearTimeout + promise rejection (baseline), and the AbortController
// fan-out built with AbortSignal.any (a listener per child on one signal is quadratic in Node:
// 100k children take tens of seconds to build, so that variant is left out).
//
// Group "cancel": the 100k waiters are built in setup (untimed); the time is root cancel → all
// settled. Group "build+cancel": building the waiters is timed too.
import { AsyncLocalStorage } from 'node:async_hooks';
import { CancelScope } from '@aiotools/cancel';
import { sleep } from '@aiotools/core';

const N = 100_000;
const FAR = 1e9;

/** Counts settlements; `done` resolves once all `n` promises settled, with the rejection count. */
function tally(n) {
  let left = n;
  let rejected = 0;
  let resolveDone;
  const done = new Promise((resolve) => {
    resolveDone = resolve;
  });
  const onSettled = () => {
    if (--left === 0) resolveDone(rejected);
  };
  const onRejected = () => {
    rejected++;
    onSettled();
  };
  return { done, watch: (p) => p.then(onSettled, onRejected) };
}

// Each builder creates N waiters and returns { cancel(), done } (done → number rejected).
const builders = {
  timers() {
    const { done, watch } = tally(N);
    const waiters = new Array(N);
    for (let i = 0; i < N; i++) {
      watch(
        new Promise((resolve, reject) => {
          waiters[i] = { handle: setTimeout(resolve, FAR), reject };
        }),
      );
    }
    const reason = new Error('cancelled');
    return {
      cancel() {
        for (const w of waiters) {
          clearTimeout(w.handle);
          w.reject(reason);
        }
      },
      done,
    };
  },

  // The least any ambient cancel scope must do per waiter (a lower bound written by hand, not a
  // rival): a node of its own linked into the root's children and unlinked when it ends, the
  // body run with that node as the ambient value of one AsyncLocalStorage, the sleep's timer
  // and promise registered on the node it finds there, and the scope's own promise hop (a
  // scope decides on the way out whether it swallows the cancellation, so its promise cannot
  // be the body's). The root's cancel walks the children, clears each timer and rejects.
  contractFloor() {
    const { done, watch } = tally(N);
    const storage = new AsyncLocalStorage();
    const root = { head: undefined, tail: undefined };
    const sleepFar = () => {
      const node = storage.getStore();
      return new Promise((resolve, reject) => {
        node.waiter = { handle: setTimeout(resolve, FAR), reject };
      });
    };
    const leave = (node) => {
      const { prev, next } = node;
      if (prev === undefined) root.head = next;
      else prev.next = next;
      if (next === undefined) root.tail = prev;
      else next.prev = prev;
    };
    const scopeBody = () => {
      const node = storage.getStore();
      return sleepFar().then(
        () => leave(node),
        (error) => {
          leave(node);
          throw error;
        },
      );
    };
    for (let i = 0; i < N; i++) {
      const node = { prev: root.tail, next: undefined, cancelled: false, waiter: undefined };
      if (root.tail === undefined) root.head = node;
      else root.tail.next = node;
      root.tail = node;
      watch(storage.run(node, scopeBody));
    }
    const reason = new Error('cancelled');
    return {
      cancel() {
        for (let node = root.head; node !== undefined; node = node.next) {
          node.cancelled = true;
          const { waiter } = node;
          node.waiter = undefined;
          clearTimeout(waiter.handle);
          waiter.reject(reason);
        }
      },
      done,
    };
  },

  cancelScope() {
    const { done, watch } = tally(N);
    const root = new CancelScope();
    const rootDone = root.run(() => {
      for (let i = 0; i < N; i++) watch(new CancelScope().run(() => sleep(FAR)));
    });
    return { cancel: () => root.cancel(), done: rootDone.then(() => done) };
  },

  abortSignalAny() {
    const { done, watch } = tally(N);
    const root = new AbortController();
    for (let i = 0; i < N; i++) {
      const signal = AbortSignal.any([root.signal]);
      watch(
        new Promise((resolve, reject) => {
          const handle = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, FAR);
          function onAbort() {
            clearTimeout(handle);
            reject(signal.reason);
          }
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      );
    }
    return { cancel: () => root.abort(new Error('cancelled')), done };
  },
};

const check = (rejected) => {
  if (rejected !== N) throw new Error(`expected ${N} rejected waiters, got ${rejected}`);
};

const names = {
  timers: 'setTimeout + clearTimeout + reject (floor)',
  contractFloor: 'the contract floor (a minimal hand-written ambient scope + sleep)',
  cancelScope: '@aiotools/cancel CancelScope + sleep',
  abortSignalAny: 'AbortController + AbortSignal.any fan-out',
};

export const cases = [
  ...Object.entries(builders).map(([key, build]) => ({
    name: `cancel only: ${names[key]}`,
    group: 'cancel',
    baseline: key === 'timers',
    setup: () => build(),
    run: async (w) => {
      w.cancel();
      return w.done;
    },
    check,
  })),
  ...Object.entries(builders).map(([key, build]) => ({
    name: `build+cancel: ${names[key]}`,
    group: 'build+cancel',
    baseline: key === 'timers',
    run: async () => {
      const w = build();
      w.cancel();
      return w.done;
    },
    check,
  })),
];
