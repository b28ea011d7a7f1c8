export {
  type AppBuild,
  type AppExit,
  type AppRun,
  type AppUnderTest,
  type AppUnderTestOptions,
  appUnderTest,
  type BuildAppOptions,
  buildApp,
  childrenOf,
  type StartAppOptions,
  startApp,
  type WaitOptions,
} from './apps.js';
export { deferred } from './deferred.js';
export { ManualClock } from './manual-clock.js';
export { bounded, commandLine, isRunning, killLeftover, within } from './processes.js';
export { type PropertySettings, propertySettings } from './property.js';
export { rejection } from './rejection.js';
export { settle } from './settle.js';
export { captureWarnings } from './warnings.js';
