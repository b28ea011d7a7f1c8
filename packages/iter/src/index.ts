export { aiter } from './aiter.js';
export { type FirstOptions, first } from './first.js';
