// `aiotools/sync`: exactly the public names of @aiotools/sync, the same bindings.
export {
  CapacityLimiter,
  type CapacityLimiterAcquireOptions,
  Condition,
  Event,
  type Guard,
  LifoQueue,
  Lock,
  PriorityQueue,
  type PriorityQueueOptions,
  Queue,
  QueueClosedError,
  QueueEmptyError,
  QueueFullError,
  Semaphore,
  type SemaphoreOptions,
} from '@aiotools/sync';
