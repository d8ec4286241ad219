import { GatewayConfigError } from '@sark/core';
import type { ActionContext } from './main';
import type { Output } from './output';
import { onGatewayOrigin, storedAuth } from './clients';
import type { Settings } from './settings';
import { UsageError } from './usage-error';

/** What the `mcp` commands use of a server, local or remote. */
export interface McpTarget {
  sendRequest<T = unknown>(method: string, params?: unknown, options?: object): Promise<T>;
  listTools(): Promise<readonly { name: string; description?: unknown; inputSchema: unknown }[]>;
  callTool(name: string, args: Record<string, unknown>, options?: object): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** `"node server.js --flag 'two words'"` split as a shell would (quotes, backslashes), without running a shell. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] as string;
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < command.length) current += command[++i];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === '\\' && i + 1 < command.length) {
      current += command[++i];
      started = true;
    } else if (/\s/.test(char)) {
      if (started || current !== '') words.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote !== null) throw new UsageError('--stdio: an unclosed quote');
  if (started || current !== '') words.push(current);
  return words;
}

/** The server of `--stdio "<command>"` (started, and stopped by `close()`) or `--url` (with `sark login`'s tokens). */
export async function connectTarget(context: ActionContext, settings: Settings, output: Output): Promise<McpTarget> {
  const { stdio, url } = context.options as { stdio?: string; url?: string };
  if ((stdio === undefined) === (url === undefined)) throw new UsageError('give --stdio "<command>" or --url <url>');
  const progress = output.progress('connecting…');
  try {
    if (stdio !== undefined) {
      const [command, ...args] = splitCommand(stdio);
      if (command === undefined) throw new UsageError('--stdio: an empty command');
      const { LocalServer } = await import('@sark/transport-stdio');
      const server = await LocalServer.start({ command, args });
      return { ...bind(server), close: () => server.stop() } as unknown as McpTarget;
    }
    const { RemoteServer } = await import('@sark/transport-mcp-http');
    const auth = await storedAuth(settings, url as string);
    const server = await RemoteServer.connect({
      url: url as string,
      ...(auth ? { auth } : {}),
      // The gateway's key goes to the gateway's own origin only, never to another server.
      ...(settings.apiKey && settings.gatewayUrl && onGatewayOrigin(url as string, settings)
        ? { headers: { 'x-api-key': settings.apiKey } }
        : {}),
      ...(settings.timeoutMs ? { requestTimeoutMs: settings.timeoutMs } : {}),
    });
    return bind(server) as unknown as McpTarget;
  } catch (error) {
    if (error instanceof GatewayConfigError) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.stop();
  }
}

function bind(server: object): Record<string, unknown> {
  const target = server as Record<string, (...args: unknown[]) => unknown>;
  return {
    sendRequest: target['sendRequest']!.bind(server),
    listTools: target['listTools']!.bind(server),
    callTool: target['callTool']!.bind(server),
    close: target['close']?.bind(server),
  };
}
