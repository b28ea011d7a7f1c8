export { cancelAndWait } from './cancel-and-wait.js';
export { CancelScope, type CancelScopeOptions } from './cancel-scope.js';
export { failAfter, timeout } from './fail-after.js';
export { failAt, timeoutAt } from './fail-at.js';
export { moveOnAfter } from './move-on-after.js';
export { type DeadlineScopeOptions, moveOnAt } from './move-on-at.js';
export { shield } from './shield.js';
export { type UncancellableOptions, uncancellable } from './uncancellable.js';
export { waitFor } from './wait-for.js';
