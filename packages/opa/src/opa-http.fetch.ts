import { readBodyExcerpt } from '@sark/core/internal';
import { MAX_OPA_RESPONSE_BYTES, type OpaHttp } from './opa-http';

/** OPA over `fetch` (browsers, workers, edge runtimes). Redirects are never followed: the answer is a denial. */
export function createFetchOpaHttp(origin: string, fetchImpl: typeof fetch): OpaHttp {
  return {
    async request(method, path, headers, body, scope) {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(scope.reason);
      scope.addEventListener('abort', onAbort);
      try {
        const response = await fetchImpl(origin + path, { method, headers, ...(body === undefined ? {} : { body }), signal: controller.signal, redirect: 'manual' });
        const { text, truncated } = await readBodyExcerpt(response.body, MAX_OPA_RESPONSE_BYTES);
        if (scope.aborted) throw scope.reason;
        return { status: response.type === 'opaqueredirect' ? 302 : response.status, body: text, truncated };
      } finally {
        scope.removeEventListener('abort', onAbort);
      }
    },
    close: async () => undefined,
  };
}
