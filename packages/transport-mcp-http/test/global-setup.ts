import type { TestProject } from 'vitest/node';
import { startEverythingHttp } from '@sark/test-support/everything-http.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    everythingHttpUrl: string;
  }
}

/** server-everything over Streamable HTTP in the Node main process, so the edge-runtime run reaches it too. */
export default async function setup(project: TestProject) {
  const server = await startEverythingHttp();
  project.provide('everythingHttpUrl', server.url);
  return () => server.stop();
}
