import type { TestProject } from 'vitest/node';
import { startStubGateway } from './stub-gateway';

declare module 'vitest' {
  export interface ProvidedContext {
    stubUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const stub = await startStubGateway();
  project.provide('stubUrl', stub.url);
  return () => stub.close();
}
