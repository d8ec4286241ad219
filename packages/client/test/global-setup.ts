import type { TestProject } from 'vitest/node';
import { startDevGateway } from '@sark/dev-gateway';

declare module 'vitest' {
  export interface ProvidedContext {
    devGatewayUrl: string;
  }
}

/** A dev gateway in the Node main process, so the edge-runtime run of the browser entry reaches it over HTTP too. */
export default async function setup(project: TestProject) {
  const gateway = await startDevGateway({ config: { apiKey: 'edge-test-key', syntheticServers: 5 } });
  project.provide('devGatewayUrl', gateway.url);
  return () => gateway.close();
}
