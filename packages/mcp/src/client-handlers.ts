import { JsonRpcError, JsonRpcErrorCode } from '@sark/core';
import { checkFunction, checkObject, checkOptionsObject, isWireObject, setOwn } from '@sark/core/internal';
import type { RequestHandler } from './json-rpc-peer';
import type { McpClientHandlers, McpCreateMessageParams, McpElicitParams, McpRoot } from './mcp';

/** The `capabilities` a client sends in `initialize`: one per handler given, nothing else. */
export function clientCapabilities(handlers: McpClientHandlers): Record<string, unknown> {
  checkHandlers(handlers);
  const capabilities: Record<string, unknown> = {};
  if (handlers.sampling) capabilities['sampling'] = {};
  if (handlers.elicitation) capabilities['elicitation'] = { form: {}, url: {} };
  if (handlers.roots !== undefined) capabilities['roots'] = { listChanged: typeof handlers.roots === 'function' };
  return capabilities;
}

/** The request handlers to register for the handlers given, by method. */
export function clientRequestHandlers(handlers: McpClientHandlers): ReadonlyMap<string, RequestHandler> {
  const map = new Map<string, RequestHandler>();
  const { sampling, elicitation, roots } = checkHandlers(handlers);
  if (sampling) {
    map.set('sampling/createMessage', async (params, context) => {
      if (!isWireObject(params) || !Array.isArray(params['messages']) || typeof params['maxTokens'] !== 'number') {
        throw invalidParams('sampling/createMessage: expected {"messages": [...], "maxTokens": number}');
      }
      const result: unknown = await sampling(params as McpCreateMessageParams, context);
      if (!isWireObject(result) || typeof result['model'] !== 'string' || typeof result['content'] !== 'object') {
        throw invalidParams('Invalid sampling result: expected {"role", "content", "model"}');
      }
      return result;
    });
  }
  if (elicitation) {
    map.set('elicitation/create', async (params, context) => {
      if (!isWireObject(params) || typeof params['message'] !== 'string') {
        throw invalidParams('elicitation/create: expected {"message": string, "requestedSchema": {...}}');
      }
      if (params['mode'] === 'url') {
        const url = params['url'];
        if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || !URL.canParse(url)) {
          throw invalidParams('URL-mode elicitation/create: expected an http(s) "url"');
        }
        const answer: unknown = await elicitation(
          { ...params, mode: 'url', url, requestedSchema: { type: 'object' } } as unknown as McpElicitParams,
          context,
        );
        if (!isWireObject(answer) || !['accept', 'decline', 'cancel'].includes(String(answer['action']))) {
          throw invalidParams('Invalid elicitation result: expected {"action": "accept" | "decline" | "cancel"}');
        }
        return { action: answer['action'] }; // URL mode returns no content
      }
      if (params['mode'] !== undefined && params['mode'] !== 'form') {
        throw invalidParams(`Client does not support ${String(params['mode'])}-mode elicitation requests`);
      }
      const schema = isWireObject(params['requestedSchema']) ? params['requestedSchema'] : { type: 'object' };
      const result: unknown = await elicitation({ ...params, requestedSchema: schema } as McpElicitParams, context);
      if (!isWireObject(result) || !['accept', 'decline', 'cancel'].includes(String(result['action']))) {
        throw invalidParams('Invalid elicitation result: expected {"action": "accept" | "decline" | "cancel"}');
      }
      if (result['action'] !== 'accept' || !isWireObject(result['content'])) return result;
      return { ...result, content: withDefaults(schema, result['content']) };
    });
  }
  if (roots !== undefined) {
    map.set('roots/list', async () => {
      const list: readonly McpRoot[] = typeof roots === 'function' ? await roots() : roots;
      if (!Array.isArray(list) || !list.every((root) => isWireObject(root) && typeof root.uri === 'string')) {
        throw new JsonRpcError({ rpcCode: JsonRpcErrorCode.INTERNAL_ERROR, message: 'roots: expected [{ uri }]' });
      }
      return { roots: list };
    });
  }
  return map;
}

/** The handlers, checked: sampling and elicitation functions, roots a list or a function returning one. */
function checkHandlers(handlers: McpClientHandlers): McpClientHandlers {
  const { sampling, elicitation, roots } = checkObject(handlers, 'handlers');
  if (sampling !== undefined) checkFunction(sampling, 'sampling');
  if (elicitation !== undefined) checkFunction(elicitation, 'elicitation');
  if (roots !== undefined && !Array.isArray(roots)) checkFunction(roots, 'roots');
  return handlers;
}

/** Most levels of nested schema followed when filling in defaults (a hostile schema cannot make it loop). */
const MAX_DEFAULTS_DEPTH = 16;

/**
 * `content` with the requested schema's `default`s filled in where a property is missing (SEP-1034), recursing
 * into nested objects and `anyOf`/`oneOf` alternatives; the handler's own values always win. Returns a copy.
 */
export function withDefaults(schema: Readonly<Record<string, unknown>>, content: Readonly<Record<string, unknown>>) {
  const filled: Record<string, unknown> = { ...content };
  fill(schema, filled, 0);
  return filled;
}

function fill(schema: unknown, data: Record<string, unknown>, depth: number): void {
  if (!isWireObject(schema) || depth > MAX_DEFAULTS_DEPTH) return;
  const properties = schema['properties'];
  if (isWireObject(properties)) {
    for (const [key, property] of Object.entries(properties)) {
      if (!isWireObject(property)) continue;
      if (data[key] === undefined && Object.hasOwn(property, 'default')) {
        setOwn(data, key, property['default']);
      }
      const value = data[key];
      if (isWireObject(value)) {
        const copy = { ...value };
        fill(property, copy, depth + 1);
        setOwn(data, key, copy);
      }
    }
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const alternatives = schema[keyword];
    if (Array.isArray(alternatives))
      for (const alternative of alternatives.slice(0, 64)) fill(alternative, data, depth + 1);
  }
}

function invalidParams(message: string): JsonRpcError {
  return new JsonRpcError({ rpcCode: JsonRpcErrorCode.INVALID_PARAMS, message });
}
