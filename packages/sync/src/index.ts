export { Queue } from './queue.js';
export { QueueClosedError } from './queue-closed-error.js';
export { QueueEmptyError } from './queue-empty-error.js';
export { QueueFullError } from './queue-full-error.js';
