// `aiotools/func`: exactly the public names of @aiotools/func, the same bindings.
export {
  type CacheInfo,
  call,
  callOnCancel,
  callOnDone,
  type LruCached,
  type LruCacheOptions,
  lruCache,
} from '@aiotools/func';
