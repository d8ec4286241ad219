import { readBodyExcerpt, readBodyPrefix, utf8Text, type BodyPrefix } from '@sark/core/internal';
import { networkError, tooLarge, type HttpClient } from './http-client';

/**
 * The client for browsers, workers and edge runtimes (and for Node when a `fetch` is injected). Redirects are not
 * followed by fetch itself (`redirect: 'manual'`), so the transport can refuse cross-origin ones.
 */
export function createFetchClient(fetchImpl: typeof fetch): HttpClient {
  return {
    async send(request, scope) {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(scope.reason);
      scope.addEventListener('abort', onAbort);
      try {
        let response: Response;
        try {
          // Built whole, without a spread: every request of a browser or edge client comes here.
          const init: RequestInit = { method: request.method, headers: request.headers, signal: controller.signal };
          init.redirect = 'manual';
          if (request.body !== undefined) init.body = request.body;
          response = await fetchImpl(request.url, init);
        } catch (error) {
          throw scope.aborted ? scope.reason : networkError(request, error);
        }
        const headers = response.headers;
        const header = (name: string): string | undefined => headers.get(name) ?? undefined;
        if (response.type === 'opaqueredirect') return { status: 0, header, body: '' };
        if (response.status < 200 || response.status >= 300) {
          // An error answer: only an excerpt is read, however much the peer sends.
          const { text, truncated } = await readBodyExcerpt(response.body);
          if (scope.aborted) throw scope.reason;
          return { status: response.status, header, body: text, bodyTruncated: truncated };
        }
        const declared = Number(response.headers.get('content-length'));
        if (declared > request.maxResponseBytes) {
          await response.body?.cancel().catch(() => undefined);
          throw tooLarge(request, declared);
        }
        let body: BodyPrefix;
        try {
          body = await readBodyPrefix(response.body, request.maxResponseBytes);
        } catch (error) {
          throw scope.aborted ? scope.reason : networkError(request, error);
        }
        if (body.truncated) throw tooLarge(request, body.received);
        return { status: response.status, header, body: utf8Text(body.bytes) };
      } finally {
        scope.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      // fetch keeps no connection state of ours; in-flight requests are aborted through their scopes.
    },
  };
}
