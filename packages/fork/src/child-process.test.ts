import { CancelScope } from '@aiotools/cancel';
import { CancelNode, currentSignal } from '@aiotools/core';
import { describe, expect, it, vi } from 'vitest';
import { useForkCleanup } from '../test-fixtures/cleanup.js';
import { bounded, gone, isRunning } from '../test-fixtures/helpers.js';
import { afork, type ChildProcess } from './index.js';

const fixture = (name: string) => new URL(`../test-fixtures/${name}`, import.meta.url);

const { start, reports, leftovers } = useForkCleanup();

describe('ChildProcess.sendSignal', () => {
  it('returns false and signals nothing once the child exited', async () => {
    for (const processGroup of [false, true]) {
      const child = await start(fixture('return-99.mjs'), { processGroup });
      expect(await bounded(child.wait())).toBe(99);
      const kill = vi.spyOn(process, 'kill');
      expect(child.sendSignal('SIGTERM')).toBe(false);
      expect(child.sendSignal('SIGKILL')).toBe(false);
      expect(kill).not.toHaveBeenCalled();
      kill.mockRestore();
    }
  });

  it('validates the signal name', async () => {
    const child = await start(fixture('forever.mjs'), { exportName: 'main' });
    expect(() => child.sendSignal('SIGNOPE' as NodeJS.Signals)).toThrow(RangeError);
    expect(() => child.sendSignal(15 as unknown as NodeJS.Signals)).toThrow(
      /^Expected `signal` to be a signal name such as "SIGTERM", got `15` \(number\)$/,
    );
    expect(child.exitCode).toBeNull();
  });
});

describe('ChildProcess.terminate', () => {
  it('ends a child with SIGTERM', async () => {
    const child = await start(fixture('forever.mjs'), { exportName: 'main' });
    expect(await bounded(child.terminate())).toBe(-15);
    expect(child.exitCode).toBe(-15);
    expect(await child.terminate()).toBe(-15);
  });

  it('kills a child that ignores SIGTERM once the grace ran out', async () => {
    const child = await start(fixture('ignore-sigterm.mjs'), { exportName: 'main' });
    expect(await bounded(child.terminate({ grace: 200 }))).toBe(-9);
  });

  it('validates its options', async () => {
    const child = await start(fixture('forever.mjs'), { exportName: 'main' });
    await expect(child.terminate({ grace: -1 })).rejects.toThrow(RangeError);
    await expect(child.terminate({ grace: '1' as never })).rejects.toThrow(
      /^Expected `options.grace` to be a number of milliseconds, got `"1"` \(string\)$/,
    );
    await expect(child.terminate('soon' as never)).rejects.toThrow(TypeError);
    expect(child.exitCode).toBeNull();
  });

  it('reaches the whole process group: no grandchild remains', async () => {
    const server = await reports();
    const child = await start(fixture('group.mjs'), {
      exportName: 'main',
      args: [server.port],
      processGroup: true,
    });
    const [shell, ...sleeps] = (await bounded(server.next())) as number[];
    for (const pid of sleeps) leftovers.push({ pid, marker: 'sleep 30' });
    expect(sleeps).toHaveLength(2);
    for (const pid of [shell ?? 0, ...sleeps]) expect(isRunning(pid)).toBe(true);
    expect(await bounded(child.terminate())).toBe(-15);
    // The group got SIGTERM with the leader; they are reaped by their own parents.
    for (const pid of [shell ?? 0, ...sleeps]) expect(await gone(pid)).toBe(true);
  });
});

describe('ChildProcess lifetime', () => {
  it('is terminated when options.signal aborts after ready', async () => {
    const controller = new AbortController();
    const child = await start(fixture('forever.mjs'), {
      exportName: 'main',
      signal: controller.signal,
    });
    controller.abort();
    expect(await bounded(child.wait())).toBe(-15);
  });

  it('is terminated when disposed', async () => {
    let pid = 0;
    let exitCode: () => number | null = () => null;
    {
      await using child = await afork(fixture('forever.mjs'), { exportName: 'main' });
      pid = child.pid;
      exitCode = () => child.exitCode;
    }
    expect(exitCode()).toBe(-15);
    expect(isRunning(pid)).toBe(false);
  });

  it('follows a scope through currentSignal(); the scope alone does not end it', async () => {
    const scope = new CancelScope();
    let tied: ChildProcess | undefined;
    let free: ChildProcess | undefined;
    const ran = scope.run(async () => {
      tied = await start(fixture('forever.mjs'), {
        exportName: 'main',
        signal: currentSignal(),
      });
      free = await start(fixture('forever.mjs'), { exportName: 'main' });
      await tied.wait();
    });
    await bounded(vi.waitFor(() => expect(free).toBeDefined(), { timeout: 10_000 }));
    scope.cancel();
    await bounded(ran);
    expect(await bounded(tied?.wait() ?? Promise.resolve(0))).toBe(-15);
    expect(free?.exitCode).toBeNull();
  });

  it('has a wait() the ambient scope cancels, leaving the child running', async () => {
    const child = await start(fixture('forever.mjs'), { exportName: 'main' });
    const node = new CancelNode(undefined);
    const reason = new Error('no longer waiting');
    const waited = node.run(() => child.wait());
    waited.catch(() => {});
    node.cancel(reason);
    await expect(bounded(waited)).rejects.toBe(reason);
    expect(child.exitCode).toBeNull();
    expect(await bounded(child.terminate())).toBe(-15);
  });
});
