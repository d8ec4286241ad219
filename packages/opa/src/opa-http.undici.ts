import { Pool } from 'undici';
import { MAX_OPA_RESPONSE_BYTES, type OpaHttp } from './opa-http';

/** OPA over an undici `Pool` (Node). undici's `request` never follows redirects: the answer is a denial. */
export function createUndiciOpaHttp(origin: string): OpaHttp {
  const pool = new Pool(origin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    async request(method, path, headers, body, scope) {
      const response = await pool.request({ method, path, headers, ...(body === undefined ? {} : { body }), signal: scope });
      const declared = Number(response.headers['content-length'] ?? Number.NaN);
      if (declared > MAX_OPA_RESPONSE_BYTES) {
        response.body.destroy();
        return { status: response.statusCode, body: '', truncated: true };
      }
      // A declared length within the limit: undici's own text() is the fastest read. Otherwise count as we go.
      if (declared >= 0) return { status: response.statusCode, body: await response.body.text(), truncated: false };
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > MAX_OPA_RESPONSE_BYTES) {
          response.body.destroy();
          return { status: response.statusCode, body: Buffer.concat(chunks).toString('utf8'), truncated: true };
        }
        chunks.push(chunk);
      }
      return { status: response.statusCode, body: Buffer.concat(chunks, total).toString('utf8'), truncated: false };
    },
    close: () => pool.destroy(),
  };
}
