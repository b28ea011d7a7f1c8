// `aiotools/vclock`: exactly the public names of @aiotools/vclock, the same bindings.
export {
  installVirtualClock,
  LoopLimitError,
  VirtualClock,
  type VirtualClockOptions,
  type VirtualTimeout,
} from '@aiotools/vclock';
