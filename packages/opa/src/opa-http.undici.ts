import { Pool } from 'undici';
import type { OpaHttp } from './opa-http';

/** OPA over an undici `Pool` (Node). */
export function createUndiciOpaHttp(origin: string): OpaHttp {
  const pool = new Pool(origin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    async request(method, path, headers, body, scope) {
      const response = await pool.request({ method, path, headers, ...(body === undefined ? {} : { body }), signal: scope });
      return { status: response.statusCode, body: await response.body.text() };
    },
    close: () => pool.destroy(),
  };
}
