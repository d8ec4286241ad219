// undici's Pool on its own (see undici-client.ts): the module that `undici`'s index loads it from.
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export default PoolClass;
}
