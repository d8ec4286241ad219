/** server-everything over Streamable HTTP on 127.0.0.1: its MCP endpoint, its output, and a way to stop it. */
export function startEverythingHttp(): Promise<{ url: string; output(): string; stop(): Promise<void> }>;
