// Loads two installed copies of the built family, each from its own node_modules tree (the
// folders given as arguments), and prints as one JSON line what the copies agree on. Copy A is
// imported through the umbrella package `aiotools`; copy B is required package by package, as a
// library pinned to other versions of the @aiotools packages would load them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [treeA, treeB] = process.argv.slice(2);
const requireA = createRequire(join(treeA, 'package.json'));
const requireB = createRequire(join(treeB, 'package.json'));
const importFrom = (require, specifier) => import(pathToFileURL(require.resolve(specifier)).href);

const A = await importFrom(requireA, 'aiotools');
const coreA = await importFrom(requireA, '@aiotools/core');
const B = {};
for (const name of ['core', 'cancel', 'scope', 'sync', 'context', 'vclock', 'fork', 'server']) {
  Object.assign(B, requireB(`@aiotools/${name}`));
}

const result = {};

// The built umbrella of copy A: every subpath has exactly its package's names, each the
// package's own binding, by import and by require alike; the main entry has their union. The
// subpaths are read from the installed manifest's "exports" (aiotools/<name> stands for
// @aiotools/<name>), so the test's list of them also checks that manifest.
const packageNames = Object.keys(requireA('aiotools/package.json').exports)
  .filter((subpath) => subpath !== '.' && subpath !== './package.json')
  .map((subpath) => subpath.slice('./'.length));
const bindings = new Map();
const umbrella = { subpaths: [], requiredSubpaths: [] };
for (const name of packageNames) {
  const pkg = await importFrom(requireA, `@aiotools/${name}`);
  for (const [key, value] of Object.entries(pkg)) bindings.set(key, value);
  const sameAsPackage = (ns) =>
    Object.keys(ns).sort().join() === Object.keys(pkg).sort().join() &&
    Object.keys(pkg).every((key) => ns[key] === pkg[key]);
  if (sameAsPackage(await importFrom(requireA, `aiotools/${name}`))) umbrella.subpaths.push(name);
  if (sameAsPackage(requireA(`aiotools/${name}`))) umbrella.requiredSubpaths.push(name);
}
const sameAsUnion = (ns) =>
  Object.keys(ns).sort().join() === [...bindings.keys()].sort().join() &&
  [...bindings].every(([key, value]) => ns[key] === value);
umbrella.main = sameAsUnion(A);
umbrella.requiredMain = sameAsUnion(requireA('aiotools'));
result.umbrella = umbrella;

result.copies = {
  aFromTreeA: requireA.resolve('@aiotools/core').startsWith(treeA),
  bFromTreeB: requireB.resolve('@aiotools/core').startsWith(treeB),
  distinctClasses: A.CancelledError !== B.CancelledError && A.CancelScope !== B.CancelScope,
  distinctFunctions: A.sleep !== B.sleep && A.moveOnAfter !== B.moveOnAfter,
  umbrellaAddsNoCopy: A.sleep === coreA.sleep && A.CancelledError === coreA.CancelledError,
};

// Every error class of the family, made by one copy, checked against the other's class.
const errors = {
  CancelledError: (X) => new X.CancelledError(),
  TimeoutError: (X) => new X.TimeoutError(),
  ExceptionGroup: (X) => new X.ExceptionGroup([new Error('one')]),
  GroupClosedError: (X) => new X.GroupClosedError(),
  QueueClosedError: (X) => new X.QueueClosedError(),
  QueueEmptyError: (X) => new X.QueueEmptyError(),
  QueueFullError: (X) => new X.QueueFullError(),
  LookupError: (X) => new X.LookupError(),
  SuppressedError: (X) => new X.SuppressedError(new Error('cleanup'), new Error('work')),
  LoopLimitError: (X) => new X.LoopLimitError(10, 0),
  ExecutorClosedError: (X) => new X.ExecutorClosedError(),
  ForkError: (X) => new X.ForkError(),
  InterruptedBySignal: (X) => new X.InterruptedBySignal('SIGTERM'),
};
result.instanceOf = {};
for (const [name, make] of Object.entries(errors)) {
  result.instanceOf[name] = {
    aIsB: make(A) instanceof B[name],
    bIsA: make(B) instanceof A[name],
  };
}
result.isCancellation = {
  aErrorByB: B.isCancellation(new A.CancelledError()),
  bErrorByA: A.isCancellation(new B.CancelledError()),
};

// One ambient cancel-scope tree: a scope opened by copy A is the one copy B's waits see.
const scope = {};
{
  const cs = new A.CancelScope();
  let caught;
  await cs.run(async () => {
    const signal = B.currentSignal();
    scope.currentSignalIsTheScopes = signal === cs.signal;
    scope.currentNodeIsTheScopes = B.currentNode() === A.currentNode();
    cs.cancel();
    scope.signalAbortedByCancel = signal.aborted;
    try {
      await B.sleep(3_600_000);
    } catch (error) {
      caught = error;
      throw error;
    }
  });
  scope.sleepOfBRejected = caught !== undefined;
  scope.rejectionIsACancelledErrorOfA = caught instanceof A.CancelledError;
  scope.rejectionIsTheScopesReason = caught === cs.reason;
  scope.scopeOfACaughtIt = cs.cancelledCaught;
  scope.outsideAnyScope = B.currentNode() === undefined && A.currentNode() === undefined;
}
{
  let threw = false;
  const cs = new A.CancelScope();
  await cs.run(async () => {
    cs.cancel();
    try {
      await B.checkpoint();
    } catch (error) {
      threw = error instanceof B.CancelledError;
      throw error;
    }
  });
  scope.checkpointOfBThrowsInCancelledScopeOfA = threw;
}

// Deadlines: copy B's virtual clock is the clock of copy A's deadlines (one clock slot).
const clock = B.installVirtualClock();
try {
  result.oneVirtualClock = (() => {
    try {
      A.installVirtualClock()[Symbol.dispose]();
      return false;
    } catch {
      return true;
    }
  })();
  const deadline = {};
  let t0 = clock.now();
  let sleepCancelled = false;
  const moved = await A.moveOnAfter(60_000, async () => {
    try {
      await B.sleep(3_600_000);
    } catch (error) {
      sleepCancelled = error instanceof A.CancelledError;
      throw error;
    }
    return 'slept';
  });
  deadline.moveOnAfterOfAEndsSleepOfB = moved === undefined && sleepCancelled;
  deadline.virtualMsElapsed = clock.now() - t0;

  t0 = clock.now();
  let timedOut;
  try {
    await A.failAfter(1_000, () => B.sleep(3_600_000));
  } catch (error) {
    timedOut = error;
  }
  deadline.failAfterOfARejectsWithTimeoutErrorOfB = timedOut instanceof B.TimeoutError;
  deadline.failAfterVirtualMsElapsed = clock.now() - t0;

  const cleanedUp = [];
  await A.moveOnAfter(500, () =>
    B.TaskGroup.run(async (tg) => {
      for (const name of ['x', 'y']) {
        tg.spawn(async () => {
          try {
            await A.sleep(3_600_000);
          } finally {
            cleanedUp.push(name);
          }
        });
      }
    }),
  );
  deadline.taskGroupOfBCancelledByDeadlineOfA = cleanedUp.sort().join(',');

  let shielded;
  await B.moveOnAfter(100, () =>
    A.shield(async () => {
      await B.sleep(1_000);
      shielded = B.currentSignal().aborted ? 'aborted' : 'slept';
    }),
  );
  deadline.shieldOfAProtectsSleepOfBFromDeadlineOfB = shielded;
  result.deadline = deadline;
} finally {
  clock[Symbol.dispose]();
}
result.scope = scope;

// State that @aiotools/scope keeps per copy, outside core's shared slot.
const scopePackage = {};
await A.TaskGroup.run(async (tg) => {
  tg.spawn(async () => {
    scopePackage.currentTaskOfA = A.currentTask() !== undefined;
    scopePackage.currentTaskOfBSeesTaskOfA = B.currentTask() === A.currentTask();
  });
});
await A.TaskGroup.run(async (tg) => {
  tg.spawn(() => A.sleep(3_600_000), { name: 'sleeper' });
  scopePackage.formatTaskTreeOfAShowsIt = A.formatTaskTree().includes('sleeper');
  scopePackage.formatTaskTreeOfBShowsTreeOfA = B.formatTaskTree().includes('sleeper');
  tg.cancel();
});
let groupOfB;
await A.run(async () => {
  groupOfB = new B.Group();
  groupOfB.spawn(() => A.sleep(3_600_000));
});
scopePackage.runOfAClosesGroupOfB = !groupOfB.isOpen;
await groupOfB.asyncClose();
result.scopePackage = scopePackage;

console.log(JSON.stringify(result));
