// `aiotools/timer`: exactly the public names of @aiotools/timer, the same bindings.
export {
  createTimer,
  interval,
  type TimerCallback,
  TimerDelayPolicy,
  type TimerOptions,
} from '@aiotools/timer';
