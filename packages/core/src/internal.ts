// The plumbing entry, `@aiotools/core/internal`: what the family's packages and other library
// authors build on. Stable within a major version like the main entry, but not part of what
// an application needs, so the umbrella package does not re-export it.
export { brandedInstanceOf } from './brand.js';
export { toCancelReason } from './cancel-node.js';
export { nodeOfSignal } from './current-node.js';
export { runEach } from './run-each.js';
export { runSoonIn } from './run-soon-in.js';
export { type SharedState, sharedState } from './shared-state.js';
export { type HeapEntry, TimerHeap } from './timer-heap.js';
export {
  describeValue,
  type IntegerRange,
  invalidRange,
  invalidType,
  validateBoolean,
  validateDeadline,
  validateDuration,
  validateFunction,
  validateInstanceOf,
  validateInteger,
  validateOneOf,
  validateOptions,
  validateSignal,
  validateSignalNames,
  validateString,
} from './validate.js';
