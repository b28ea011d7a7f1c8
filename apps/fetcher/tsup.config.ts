import { appConfig } from '../../tsup.config.base.js';

export default appConfig(['src/main.ts']);
