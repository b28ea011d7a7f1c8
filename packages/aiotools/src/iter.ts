// `aiotools/iter`: exactly the public names of @aiotools/iter, the same bindings.
export {
  aiter,
  type FirstOptions,
  first,
} from '@aiotools/iter';
