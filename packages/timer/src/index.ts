export { createTimer, type TimerCallback, type TimerOptions } from './create-timer.js';
export { interval } from './interval.js';
export { TimerDelayPolicy } from './timer-delay-policy.js';
