import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonRpcError } from '@sark/core';
import { SUPPORTED_PROTOCOL_VERSIONS, type LocalServer } from '@sark/transport-stdio';

/** Sessions kept at once; the oldest is forgotten beyond this (its client then gets 404 and reconnects). */
const MAX_SESSIONS = 1000;

type Message = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };

/** What the endpoint forwards to: a `LocalServer`, or any object with its handshake facts and `sendRequest`. */
export type McpBackend = Pick<LocalServer, 'protocolVersion' | 'capabilities' | 'serverInfo' | 'instructions'> & {
  sendRequest(method: string, params: unknown, options?: Parameters<LocalServer['sendRequest']>[2]): Promise<unknown>;
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers });
  res.end(payload);
}

const rpcError = (id: unknown, code: number, message: string) => ({ jsonrpc: '2.0', id, error: { code, message } });

/**
 * Each fronted MCP server over MCP Streamable HTTP at `/mcp/{server}`, as gateways proxy them: `initialize` is
 * answered from the server's own handshake (its capabilities, info and instructions) with a new `Mcp-Session-Id`;
 * requests are forwarded to the server and answered as JSON — or as SSE when the client asked for progress, with the
 * server's progress notifications first; `DELETE` ends the session; there is no server stream (`GET` → 405).
 */
export class McpEndpoint {
  /** Session id → the server it was opened on. */
  readonly #sessions = new Map<string, string>();
  readonly #onForward: (name: string, method: string, params: unknown) => void;

  /** `onForward` hears each request as it is forwarded to its server (to count tool calls). */
  constructor(onForward: (name: string, method: string, params: unknown) => void = () => undefined) {
    this.#onForward = onForward;
  }

  /** Forgets every session, as a restarted gateway would: their clients get `404` and must open new ones. */
  forgetSessions(): void {
    this.#sessions.clear();
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    backend: McpBackend | null,
    body: () => Promise<string>,
  ): Promise<void> {
    if (!backend) return send(res, 404, { detail: `No MCP server behind "${name}"` });
    const method = req.method ?? 'GET';
    const sessionHeader = req.headers['mcp-session-id'];
    const session = typeof sessionHeader === 'string' ? sessionHeader : undefined;
    if (method === 'GET')
      return send(res, 405, { detail: 'This gateway has no server stream' }, { allow: 'POST, DELETE' });
    if (method === 'DELETE') {
      if (session === undefined || this.#sessions.get(session) !== name)
        return send(res, 404, { detail: 'Unknown session' });
      this.#sessions.delete(session);
      return send(res, 200, {});
    }
    if (method !== 'POST')
      return send(res, 405, { detail: `${method} is not allowed` }, { allow: 'GET, POST, DELETE' });
    let message: Message;
    try {
      message = JSON.parse(await body()) as Message;
    } catch {
      return send(res, 400, rpcError(null, -32700, 'Parse error: the body must be one JSON-RPC message'));
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || message.jsonrpc !== '2.0') {
      return send(res, 400, rpcError(null, -32600, 'Invalid request: one JSON-RPC 2.0 message per POST'));
    }
    if (message.method === 'initialize') return this.#initialize(res, name, backend, message);
    if (session === undefined) return send(res, 400, rpcError(message.id ?? null, -32000, 'Missing Mcp-Session-Id'));
    if (this.#sessions.get(session) !== name)
      return send(res, 404, rpcError(message.id ?? null, -32001, 'Session not found'));
    if (message.id === undefined || typeof message.method !== 'string') {
      res.writeHead(202).end(); // notifications and responses: nothing to forward to a shared server
      return;
    }
    this.#onForward(name, message.method, message.params);
    return this.#forward(res, backend, message.id, message.method, message.params);
  }

  #initialize(res: ServerResponse, name: string, backend: McpBackend, message: Message): void {
    const asked = (message.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    const version =
      typeof asked === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(asked) ? asked : backend.protocolVersion;
    const session = randomUUID();
    this.#sessions.set(session, name);
    if (this.#sessions.size > MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value as string);
    const result: Record<string, unknown> = {
      protocolVersion: version,
      capabilities: backend.capabilities ?? {},
      serverInfo: backend.serverInfo ?? { name, version: '0.0.0' },
    };
    if (backend.instructions !== null) result['instructions'] = backend.instructions;
    send(res, 200, { jsonrpc: '2.0', id: message.id, result }, { 'mcp-session-id': session });
  }

  async #forward(
    res: ServerResponse,
    backend: McpBackend,
    id: unknown,
    method: string,
    params: unknown,
  ): Promise<void> {
    const meta = (params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
    const token = meta?.progressToken;
    const sse = token !== undefined;
    const write = (message: unknown): void => {
      res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    };
    if (sse) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let answer: unknown;
    try {
      const result = await backend.sendRequest(method, params, {
        ...(sse
          ? {
              onProgress: (progress: object) =>
                write({
                  jsonrpc: '2.0',
                  method: 'notifications/progress',
                  params: { progressToken: token, ...progress },
                }),
            }
          : {}),
      });
      answer = { jsonrpc: '2.0', id, result };
    } catch (error) {
      answer =
        error instanceof JsonRpcError
          ? rpcError(id, error.rpcCode, error.message)
          : rpcError(id, -32603, `The server failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!sse) return send(res, 200, answer);
    write(answer);
    res.end();
  }
}
