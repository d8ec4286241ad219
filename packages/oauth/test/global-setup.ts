import type { TestProject } from 'vitest/node';
import { startOAuthGateway } from './helpers';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared dev gateway in OAuth mode (everything + memory, `everything/get-env` needs `mcp:env`). */
    oauthGateway: { url: string; issuer: string };
  }
}

/**
 * One dev gateway in OAuth mode for the test files that can share it, started once in the main process (its
 * authorization server, oidc-provider, is loaded once, not in every worker). Not for the edge-runtime run, which
 * only parses.
 */
export default async function setup(project: TestProject) {
  if (project.name.includes('edge-runtime')) return undefined;
  const gateway = await startOAuthGateway({ toolScopes: { 'everything/get-env': 'mcp:env' } }, true);
  project.provide('oauthGateway', { url: gateway.url, issuer: gateway.issuer ?? '' });
  return () => gateway.close();
}
