// Run by src/node-test.test.ts as `node --import tsx --test`: the clock under node:test, with
// real ESM named imports taken before install.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { setInterval as every, setTimeout as wait } from 'node:timers/promises';
import { VirtualClock } from '../src/index.js';

const realWait = wait;

test('run() makes an hour-long ESM named-import sleep instant', async () => {
  const clock = new VirtualClock({ date: 0 });
  await clock.run(async () => {
    await wait(3_600_000);
    assert.equal(clock.now(), 3_600_000);
    assert.equal(Date.now(), 3_600_000);
    assert.equal(performance.now(), 3_600_000);
  });
  assert.equal(wait, realWait);
});

test('AbortSignal.timeout and the setInterval iterator follow virtual time', async () => {
  const clock = new VirtualClock();
  await clock.run(async () => {
    const signal = AbortSignal.timeout(1000);
    const ticks: number[] = [];
    for await (const _ of every(400)) {
      ticks.push(clock.now());
      if (ticks.length === 2) break;
    }
    await assert.rejects(wait(5000, undefined, { signal }), {
      name: 'AbortError',
      code: 'ABORT_ERR',
    });
    assert.deepEqual(ticks, [400, 800]);
    assert.equal(clock.now(), 1000);
  });
});

describe('with patchLoop() in hooks', () => {
  let clock: VirtualClock;
  let installed: Disposable;
  beforeEach(() => {
    clock = new VirtualClock({ autojump: false });
    installed = clock.patchLoop();
  });
  afterEach(() => installed[Symbol.dispose]());

  test('manual stepping with patchLoop() in hooks', async () => {
    let fired = 0;
    setTimeout(() => fired++, 100);
    await clock.advance(99);
    assert.equal(fired, 0);
    await clock.advance(1);
    assert.equal(fired, 1);
  });
});
