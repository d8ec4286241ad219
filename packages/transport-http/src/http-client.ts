import { GatewayConfigError, GatewayNetworkError, GatewayProtocolError } from '@sark/core';
import {
  checkFunction,
  checkInteger,
  checkOptionsObject,
  parseGatewayUrl,
  type RequestScope,
} from '@sark/core/internal';

/** One request as the transport hands it to a client. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL; `path` is its path + query, as sent on the wire. */
  readonly url: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Larger bodies are abandoned mid-download with `GatewayProtocolError`. */
  readonly maxResponseBytes: number;
}

/** A response whose body has been read (within the limit). */
export interface HttpResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly body: string;
  /** Only the start of an error answer's body was read. */
  readonly bodyTruncated?: boolean;
}

/**
 * What the transport needs from an HTTP stack: undici under Node, `fetch` elsewhere. A client rejects with the
 * scope's reason when the scope aborts, with `GatewayNetworkError` for connection failures, and with
 * `GatewayProtocolError` when a body exceeds the limit; everything else (status, parsing) is the transport's.
 */
export interface HttpClient {
  send(request: HttpRequest, scope: RequestScope): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** Options of `createHttpClient`. */
export interface HttpClientOptions {
  /** Pool size (undici). Default 16. */
  maxConnections?: number | undefined;
  /** Use this fetch instead of undici (Node) or the global fetch (elsewhere). */
  fetch?: typeof fetch | undefined;
}

/** The arguments of `createHttpClient`, checked: the origin an http(s) URL, the options of the right types. */
export function checkHttpClientArguments(origin: string, options: HttpClientOptions): void {
  parseGatewayUrl(origin, 'createHttpClient(origin)');
  const { maxConnections, fetch } = checkOptionsObject(options, 'createHttpClient(options)');
  if (maxConnections !== undefined) checkInteger(maxConnections, 'createHttpClient(options.maxConnections)', 1);
  if (fetch !== undefined) checkFunction(fetch, 'createHttpClient(options.fetch)');
}

/** The error for a response larger than `maxResponseBytes`. */
export function tooLarge(request: HttpRequest, bytes: number): GatewayProtocolError {
  return new GatewayProtocolError({
    message:
      `${request.method} ${request.path}: response of ${bytes} bytes or more exceeds maxResponseBytes ` +
      `(${request.maxResponseBytes}); download stopped`,
  });
}

/**
 * The error for a connection that failed (refused, reset, closed mid-body, DNS). A request the HTTP stack refused to
 * send because of what it holds (undici's invalid-argument errors) is the caller's input, not the gateway's health: a
 * `GatewayConfigError`, never retried, never counted by the breaker.
 */
export function networkError(request: HttpRequest, error: unknown): GatewayNetworkError | GatewayConfigError {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'UND_ERR_INVALID_ARG') {
    return new GatewayConfigError({
      message:
        `${request.method} ${request.path} could not be sent: ` +
        `${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  const detail =
    error instanceof Error ? `${typeof code === 'string' ? code : error.name}: ${error.message}` : String(error);
  return new GatewayNetworkError({ message: `${request.method} ${request.url} failed: ${detail}`, cause: error });
}
