import type { OpaHttp } from './opa-http';

/** OPA over `fetch` (browsers, workers, edge runtimes). */
export function createFetchOpaHttp(origin: string, fetchImpl: typeof fetch): OpaHttp {
  return {
    async request(method, path, headers, body, scope) {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(scope.reason);
      scope.addEventListener('abort', onAbort);
      try {
        const response = await fetchImpl(origin + path, { method, headers, ...(body === undefined ? {} : { body }), signal: controller.signal });
        return { status: response.status, body: await response.text() };
      } finally {
        scope.removeEventListener('abort', onAbort);
      }
    },
    close: async () => undefined,
  };
}
