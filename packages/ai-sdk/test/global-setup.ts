import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDevGateway } from '@sark/dev-gateway';

declare module 'vitest' {
  export interface ProvidedContext {
    aiSdkGatewayUrl: string;
    aiSdkGatewayApiKey: string;
  }
}

const API_KEY = 'ai-edge-key';

/**
 * A dev gateway in front of server-everything (over stdio), in the Node main process, so the edge-runtime run reaches
 * it over HTTP — the gateway's REST API and its Streamable HTTP endpoint for the server.
 */
export default async function setup(project: TestProject) {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const bin = Object.values((require(manifestPath) as { bin: Record<string, string> }).bin)[0] as string;
  const gateway = await startDevGateway({
    config: {
      apiKey: API_KEY,
      syntheticServers: 0,
      servers: [{ name: 'everything', command: process.execPath, args: [join(dirname(manifestPath), bin), 'stdio'] }],
    },
  });
  project.provide('aiSdkGatewayUrl', gateway.url);
  project.provide('aiSdkGatewayApiKey', API_KEY);
  return () => gateway.close();
}
