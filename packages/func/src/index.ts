export { call } from './call.js';
export { callOnCancel } from './call-on-cancel.js';
export { callOnDone } from './call-on-done.js';
export { type CacheInfo, type LruCached, type LruCacheOptions, lruCache } from './lru-cache.js';
