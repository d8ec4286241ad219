import {
  GatewayHttpError,
  GatewayNetworkError,
  GatewayProtocolError,
  TimeoutError,
  type RequestAuthorizer,
} from '@sark/core';
import { readBodyExcerpt, readBodyPrefix, utf8Text } from '@sark/core/internal';

/** How {@link fetchJson} makes its request. */
export interface FetchJsonSettings {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** Largest answer read; more is a `GatewayProtocolError`. */
  readonly maxBytes: number;
  readonly auth?: RequestAuthorizer | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One GET of a JSON document, no redirects followed, bounded in time and size, with the authorizer's headers (a
 * refusal it resolves is tried again, at most 3 times). A failed connection is a `GatewayNetworkError`, an error
 * status a `GatewayHttpError`, anything but JSON (an HTML page) a `GatewayProtocolError`.
 */
export async function fetchJson(url: string, settings: FetchJsonSettings): Promise<unknown> {
  const { auth, signal, timeoutMs } = settings;
  const path = new URL(url).pathname;
  for (let authorizations = 0; ; authorizations++) {
    const request = { url, method: 'GET', signal };
    const sent = auth ? await auth.headers(request) : {};
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await settings.fetch(url, {
        headers: { accept: 'application/json', ...sent },
        signal: combined,
        redirect: 'error',
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new TimeoutError({ timeoutMs });
      throw new GatewayNetworkError({ message: `GET ${path}: ${(error as Error)?.message ?? error}`, cause: error });
    }
    const refused = response.status === 401 || response.status === 403;
    if (refused && auth && authorizations < 3) {
      if (await auth.refused(request, { status: response.status, headers: response.headers, sent })) {
        await response.body?.cancel().catch(() => undefined);
        continue;
      }
    }
    if (!response.ok) {
      const { text, truncated } = await readBodyExcerpt(response.body);
      throw new GatewayHttpError({ status: response.status, method: 'GET', url, body: text, bodyTruncated: truncated });
    }
    const type = response.headers.get('content-type') ?? '';
    const { bytes, truncated } = await readBodyPrefix(response.body, settings.maxBytes);
    if (truncated) throw new GatewayProtocolError({ message: `GET ${path}: more than ${settings.maxBytes} bytes` });
    try {
      return JSON.parse(utf8Text(bytes)) as unknown;
    } catch {
      throw new GatewayProtocolError({
        message: `GET ${path}: the answer is ${type.split(';')[0] || 'something'} that is not JSON`,
      });
    }
  }
}
