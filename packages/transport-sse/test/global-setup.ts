import type { TestProject } from 'vitest/node';
import { startSseStub } from './support/sse-stub';

declare module 'vitest' {
  export interface ProvidedContext {
    sseStubUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const stub = await startSseStub();
  project.provide('sseStubUrl', stub.url);
  return () => stub.close();
}
