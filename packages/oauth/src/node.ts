// @sark/oauth/node: what only Node has — the loopback driver for command-line sign-ins and the file token store.
export { FileTokenStore } from './node/file-token-store';
export { loopbackDriver } from './node/loopback-driver';
export type { LoopbackDriver, LoopbackDriverOptions } from './node/loopback-driver';
