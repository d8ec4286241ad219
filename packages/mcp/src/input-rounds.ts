import {
  GatewayConfigError,
  GatewayProtocolError,
  JsonRpcError,
  JsonRpcErrorCode,
  UrlElicitationRequiredError,
} from '@sark/core';
import { checkFunction, checkSignal, isWireObject } from '@sark/core/internal';
import type { RequestHandler } from './json-rpc-peer';

/** Rounds of input one request may ask for before it is given up (a server that asks forever is broken). */
const MAX_ROUNDS = 8;
/** Input requests one round may carry. */
const MAX_INPUTS = 16;

/**
 * MCP 2026-07-28's multi-round-trip requests (SEP-2322): a result with `resultType: "input_required"` asks for the
 * client's input — elicitation, sampling, roots, each answered by the handler the client gave — and the request is
 * sent again, as a new JSON-RPC request, with the answers as `inputResponses` and the server's `requestState` when it
 * sent one (never otherwise). A result without `resultType` is complete. Each request keeps its own rounds.
 */
export async function withInputRounds<T>(
  send: (params: Readonly<Record<string, unknown>>) => Promise<unknown>,
  params: unknown,
  handlers: ReadonlyMap<string, RequestHandler>,
  signal: AbortSignal | undefined,
): Promise<T> {
  checkFunction(send, 'withInputRounds(send)');
  if (!(handlers instanceof Map)) {
    throw new GatewayConfigError({ option: 'withInputRounds(handlers)', message: 'must be a Map of request handlers' });
  }
  checkSignal(signal, 'withInputRounds(signal)');
  const base = isWireObject(params) ? params : {};
  let next: Readonly<Record<string, unknown>> = base;
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    const result = await send(next);
    if (!isWireObject(result) || result['resultType'] !== 'input_required') return result as T;
    if (round === MAX_ROUNDS) break;
    const inputs = isWireObject(result['inputRequests']) ? Object.entries(result['inputRequests']) : [];
    if (inputs.length > MAX_INPUTS) {
      throw new GatewayProtocolError({
        message: `The server asked for ${inputs.length} inputs at once (at most ${MAX_INPUTS})`,
      });
    }
    const inputResponses: Record<string, unknown> = {};
    for (const [key, input] of inputs) {
      const method = isWireObject(input) ? input['method'] : undefined;
      const handler = typeof method === 'string' ? handlers.get(method) : undefined;
      if (handler === undefined && method === 'elicitation/create') throw urlRequired(input);
      if (handler === undefined) {
        throw new JsonRpcError({
          rpcCode: JsonRpcErrorCode.METHOD_NOT_FOUND,
          message: `The server asked for input this client has no handler for (${String(method).slice(0, 60)})`,
        });
      }
      inputResponses[key] = await handler((input as Record<string, unknown>)['params'], {
        signal: signal ?? new AbortController().signal,
      });
    }
    const state = result['requestState'];
    next = { ...base, inputResponses, ...(typeof state === 'string' ? { requestState: state } : {}) };
  }
  throw new GatewayProtocolError({ message: `The server kept asking for input after ${MAX_ROUNDS} rounds` });
}

/** A URL-mode elicitation this client has no handler for: the caller's error names the page (else: no handler). */
function urlRequired(input: unknown): Error {
  const params = isWireObject(input) && isWireObject(input['params']) ? input['params'] : {};
  if (params['mode'] === 'url' && typeof params['url'] === 'string') {
    const message = typeof params['message'] === 'string' ? params['message'] : undefined;
    return new UrlElicitationRequiredError({ elicitations: [{ url: params['url'], message }] });
  }
  return new JsonRpcError({
    rpcCode: JsonRpcErrorCode.METHOD_NOT_FOUND,
    message: 'The server asked for form input and this client has no elicitation handler',
  });
}
