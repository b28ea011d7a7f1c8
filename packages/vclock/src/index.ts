export { installVirtualClock } from './install-virtual-clock.js';
export { LoopLimitError } from './loop-limit-error.js';
export { VirtualClock, type VirtualClockOptions } from './virtual-clock.js';
export type { VirtualTimeout } from './virtual-timeout.js';
