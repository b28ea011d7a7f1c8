// The contract floor of spawn + join: the least work any implementation of a structured task
// group must do per task, written by hand with nothing else in it. It is what the TaskGroup
// cases are compared with when they miss a target set against the bare AsyncLocalStorage floor.
//
// Per task, as the contract of @aiotools/scope asks (docs of TaskGroup.spawn):
//   - a node of its own, linked into the group's list of children (a task can be cancelled
//     alone, and the group's cancellation reaches it) and unlinked when it settles;
//   - its body run with that node as the ambient value of one AsyncLocalStorage (the body's
//     `currentNode()`, `currentSignal()` and checkpoints see its task);
//   - the body started in a microtask queued by the spawn, so that `spawn()` returns first and a
//     synchronous throw becomes the task's failure;
//   - an asynchronous body's outcome watched by one reaction, which tells the group;
//   - the group's join: a count of running children and one promise.
// Left out although the package does them: argument validation, the task's handle, its name
// and timestamp for the task tree, error collection and the cancel state: the floor is a lower
// bound, not a rival implementation.
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage();
const resolved = Promise.resolve();

class MiniGroup {
  head = undefined;
  tail = undefined;
  running = 0;
  #resolve = undefined;

  spawn(fn) {
    const node = new MiniTask(this, fn);
    this.running++;
    storage.run(node, queueStart);
    return node;
  }

  childDone() {
    if (--this.running === 0) this.#resolve?.();
  }

  join() {
    if (this.running === 0) return resolved;
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
}

class MiniTask {
  constructor(group, fn) {
    this.group = group;
    this.prev = group.tail;
    this.next = undefined;
    if (group.tail === undefined) group.head = this;
    else group.tail.next = this;
    group.tail = this;
    this.value = fn;
    this.done = false;
  }

  start() {
    const fn = this.value;
    this.value = undefined;
    let value;
    try {
      value = fn();
    } catch (error) {
      this.settle(error);
      return;
    }
    if (typeof value?.then === 'function') value.then(fulfilAmbient, fulfilAmbient);
    else this.settle(value);
  }

  settle(value) {
    this.value = value;
    this.done = true;
    const { group, prev, next } = this;
    if (prev === undefined) group.head = next;
    else prev.next = next;
    if (next === undefined) group.tail = prev;
    else next.prev = prev;
    this.prev = this.next = undefined;
    group.childDone();
  }
}

function queueStart() {
  void resolved.then(startAmbient);
}

function startAmbient() {
  storage.getStore().start();
}

function fulfilAmbient(value) {
  storage.getStore().settle(value);
}

/** Spawns `n` tasks made by `body(i)` into one group, joins them and returns the tasks. */
export async function contractFloorSpawnJoin(n, body) {
  const group = new MiniGroup();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = group.spawn(body(i));
  await group.join();
  return tasks;
}

/** Spawns `n` tasks made by `body(i)` into one group; returns the group to join later. */
export function contractFloorSpawn(n, body) {
  const group = new MiniGroup();
  for (let i = 0; i < n; i++) group.spawn(body(i));
  return group;
}
