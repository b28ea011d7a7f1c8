// `aiotools/cancel`: exactly the public names of @aiotools/cancel, the same bindings.
export {
  CancelScope,
  type CancelScopeOptions,
  cancelAndWait,
  type DeadlineScopeOptions,
  failAfter,
  failAt,
  moveOnAfter,
  moveOnAt,
  shield,
  timeout,
  timeoutAt,
  type UncancellableOptions,
  uncancellable,
  waitFor,
} from '@aiotools/cancel';
