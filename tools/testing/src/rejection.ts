// Awaits a promise that must reject and returns its rejection; fails the test when it fulfils.
// Unlike `expect(p).rejects`, the handler is attached at once, so `p` may reject while the test
// advances a clock before looking at it.
export async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise fulfilled');
}
