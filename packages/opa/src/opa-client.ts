import {
  ClientClosedError,
  GatewayConfigError,
  GatewayProtocolError,
  PolicyEvaluationError,
  holdSecret,
  jsonObjectSnapshot,
  redact,
  type JsonObject,
  type ProbeResult,
} from '@sark/core';
import {
  RequestScope,
  addCheckedHeaders,
  checkObject,
  checkOptionsObject,
  checkPositive,
  checkSignal,
  credentialFingerprint,
  holdSecretHeaders,
  isWireObject,
  parseGatewayUrl,
  redactedExcerpt,
} from '@sark/core/internal';
import { authorize } from './authorize';
import { DecisionCache, decisionCacheKey, type DecisionCacheOptions } from './decision-cache';
import { decisionFromOpa, type Decision } from './decision';
import { buildInvocationInput, type InvocationRequest } from './invocation-input';
import { createHttpClient, type HttpClient, type HttpRequest } from '@sark/transport-http';
import type { PolicyCallOptions, PolicyEvaluator, PolicyInput } from './policy-evaluator';

/** Options of an {@link OPAClient}. */
export interface OPAClientOptions {
  /** Default `http://localhost:8181`. */
  opaUrl?: string | undefined;
  /** The policy's package path, `/`-separated. Default `mcp/gateway`. */
  policyPath?: string | undefined;
  /** Per evaluation. Default 1 000. */
  timeoutMs?: number | undefined;
  /** Extra headers (e.g. OPA's own bearer token); CR/LF refused. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Replaces the default input document of `authorizeInvocation`. */
  inputBuilder?: ((request: InvocationRequest) => PolicyInput) | undefined;
  /** Put the raw user token into the default input document. Default false. */
  includeToken?: boolean | undefined;
  /** Reuse decisions (off by default). */
  decisionCache?: boolean | DecisionCacheOptions | undefined;
  /** Use this fetch instead of undici (Node) or the global fetch (elsewhere). */
  fetch?: typeof fetch | undefined;
}

/** The most of an OPA answer that is read; a decision is a few hundred bytes. A larger answer is a denial. */
export const MAX_OPA_RESPONSE_BYTES = 1024 * 1024;

/** Connections to OPA (undici pool size under Node). */
const OPA_CONNECTIONS = 16;

/**
 * Open Policy Agent's REST Data API (WIRE.md §4): `POST /v1/data/{policyPath}` with `{"input": …}`. Fails closed:
 * any non-200, network error, timeout, non-JSON, oversized or malformed answer is a `PolicyEvaluationError`, and
 * callers deny. HTTP goes through transport-http's client (undici under Node, fetch elsewhere): the same response
 * limit, error-body excerpts and network-error mapping as the gateway's REST calls, and redirects are never followed.
 */
export class OPAClient implements PolicyEvaluator {
  readonly #http: HttpClient;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dataPath: string;
  readonly #timeoutMs: number;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #inputBuilder: ((request: InvocationRequest) => PolicyInput) | undefined;
  readonly #includeToken: boolean;
  readonly #cache: DecisionCache | null;
  readonly #releaseSecrets: (() => void)[] = [];
  /** Evaluations in flight; `close()` aborts them with `ClientClosedError`. */
  readonly #scopes = new Set<RequestScope>();
  #closed = false;

  constructor(value?: OPAClientOptions) {
    const options = checkOptionsObject(value, 'OPAClient: options');
    const base = parseGatewayUrl(options.opaUrl ?? 'http://localhost:8181', 'opaUrl');
    const policyPath = (options.policyPath ?? 'mcp/gateway').replace(/^\/+|\/+$/g, '');
    if (!/^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/.test(policyPath))
      throw new GatewayConfigError({
        option: 'policyPath',
        message: `"${policyPath}" is not a package path like mcp/gateway`,
      });
    this.#basePath = base.basePath;
    this.#dataPath = `${base.basePath}/v1/data/${policyPath}`;
    this.#timeoutMs = checkPositive(options.timeoutMs ?? 1000, 'timeoutMs');
    this.#headers = addCheckedHeaders(
      { 'content-type': 'application/json', accept: 'application/json' },
      options.headers ?? {},
    );
    this.#releaseSecrets.push(...holdSecretHeaders(options.headers ?? {}));
    this.#inputBuilder = options.inputBuilder;
    this.#includeToken = options.includeToken ?? false;
    this.#cache = options.decisionCache
      ? new DecisionCache(
          options.decisionCache === true ? {} : checkOptionsObject(options.decisionCache, 'decisionCache'),
        )
      : null;
    this.#origin = base.origin;
    this.#http = createHttpClient(base.origin, { maxConnections: OPA_CONNECTIONS, fetch: options.fetch });
  }

  /**
   * Evaluates the policy for `input`. The input is serialised once: the document OPA receives and the decision-cache
   * key are both made from that one text, so a cached decision is only ever reused for exactly what OPA saw. Rejects
   * with `PolicyEvaluationError` when no valid decision can be had (or the input cannot be serialised).
   */
  evaluate(input: PolicyInput, options: PolicyCallOptions = {}): Promise<Decision> {
    let signal: AbortSignal | undefined;
    try {
      signal = checkSignal(checkOptionsObject(options, 'evaluate(options)').signal, 'evaluate(options.signal)');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#evaluate(input, '', signal);
  }

  async #evaluate(input: PolicyInput, identity: string, signal: AbortSignal | undefined): Promise<Decision> {
    if (this.#closed) throw new ClientClosedError({ message: 'The OPA client is closed' });
    let requestBody: string;
    try {
      requestBody = JSON.stringify({ input });
    } catch (error) {
      throw new PolicyEvaluationError({
        message: `The policy input cannot be serialised (${(error as Error).message}); denying`,
        cause: error,
      });
    }
    const cacheKey = this.#cache
      ? decisionCacheKey((JSON.parse(requestBody) as { input: JsonObject }).input, identity)
      : '';
    const cached = this.#cache?.get(cacheKey);
    if (cached) return cached;
    const options = { signal };
    const scope = new RequestScope(this.#timeoutMs, options.signal);
    this.#scopes.add(scope);
    let status: number;
    let body: string;
    let truncated: boolean | undefined;
    try {
      ({
        status,
        body,
        bodyTruncated: truncated,
      } = await this.#http.send(this.#request('POST', this.#dataPath, this.#headers, requestBody), scope));
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (scope.reason instanceof ClientClosedError) throw scope.reason;
      if (error instanceof GatewayProtocolError)
        throw new PolicyEvaluationError({
          message: `OPA answered with more than ${MAX_OPA_RESPONSE_BYTES} bytes; denying`,
          cause: error,
        });
      const why = scope.aborted
        ? `no answer within ${this.#timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      throw new PolicyEvaluationError({
        message: `OPA could not be asked (${why}); denying`,
        cause: scope.aborted ? scope.reason : error,
      });
    } finally {
      scope.dispose();
      this.#scopes.delete(scope);
    }
    if (status === 0)
      throw new PolicyEvaluationError({
        message: 'OPA answered with a redirect (redirects are not followed); denying',
      });
    if (status !== 200) {
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
      throw new PolicyEvaluationError({
        message:
          `OPA answered HTTP ${status}${redirect}: ` +
          `${redactedExcerpt(body, 200, { cutAtEnd: truncated === true })}; denying`,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new PolicyEvaluationError({ message: 'OPA answered with a body that is not JSON; denying', cause: error });
    }
    let decision: Decision;
    try {
      decision = decisionFromOpa(parsed);
    } catch (error) {
      throw new PolicyEvaluationError({
        message: `OPA answered with an invalid decision (${(error as Error).message}); denying`,
        cause: error,
      });
    }
    this.#cache?.set(cacheKey, decision);
    return decision;
  }

  /**
   * Authorizes one tool invocation: builds the input (default document or `inputBuilder`), evaluates, and returns the
   * allowing decision — or throws `PermissionDeniedError` (with `reason` and `decisionId`) or `PolicyEvaluationError`.
   */
  async authorizeInvocation(request: InvocationRequest & PolicyCallOptions): Promise<Decision> {
    checkObject(request, 'authorizeInvocation(request)');
    const parameters: JsonObject = jsonObjectSnapshot(request.parameters ?? {}, 'parameters');
    const snapshot: InvocationRequest = { ...request, parameters };
    const input = this.#inputBuilder
      ? this.#inputBuilder(snapshot)
      : buildInvocationInput(snapshot, { includeToken: this.#includeToken });
    // The user's identity is part of the cache key, even when the input document does not name the user.
    const identity = credentialFingerprint(undefined, request.userToken);
    const release = holdSecret(request.userToken);
    try {
      return await authorize(
        { evaluate: (document, options) => this.#evaluate(document, identity, options?.signal) },
        input,
        request.signal ? { signal: request.signal } : {},
      );
    } finally {
      release();
    }
  }

  /** `GET /health` on OPA. Never throws. */
  async health(options: PolicyCallOptions = {}): Promise<ProbeResult> {
    const started = Date.now();
    const scope = new RequestScope(this.#timeoutMs, options.signal);
    try {
      const { status, body } = await this.#http.send(
        this.#request('GET', `${this.#basePath}/health`, { accept: 'application/json' }),
        scope,
      );
      const healthy = status === 200 && isWireObject(JSON.parse(body));
      return {
        healthy,
        latencyMs: Date.now() - started,
        ...(healthy ? {} : { error: `OPA health answered HTTP ${status}` }),
      };
    } catch (error) {
      return {
        healthy: false,
        latencyMs: Date.now() - started,
        error: scope.aborted ? `no answer within ${this.#timeoutMs} ms` : redact(String((error as Error).message)),
      };
    } finally {
      scope.dispose();
    }
  }

  /** Hits and misses of the decision cache (zeros when it is off). */
  getMetrics(): { decisionCacheHits: number; decisionCacheMisses: number; decisionCacheSize: number } {
    return {
      decisionCacheHits: this.#cache?.hits ?? 0,
      decisionCacheMisses: this.#cache?.misses ?? 0,
      decisionCacheSize: this.#cache?.size ?? 0,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new ClientClosedError({ message: 'The OPA client is closed' });
    for (const scope of this.#scopes) scope.abort(closed);
    await this.#http.close();
    for (const release of this.#releaseSecrets.splice(0)) release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #request(
    method: 'GET' | 'POST',
    path: string,
    headers: Readonly<Record<string, string>>,
    body?: string,
  ): HttpRequest {
    // Built whole, without a spread: this is every evaluation's path.
    const url = this.#origin + path;
    return body === undefined
      ? { method, url, path, headers, maxResponseBytes: MAX_OPA_RESPONSE_BYTES }
      : { method, url, path, headers, body, maxResponseBytes: MAX_OPA_RESPONSE_BYTES };
  }
}
