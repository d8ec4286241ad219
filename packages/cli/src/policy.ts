import type { PolicyEvaluator } from '@sark/opa';
import type { Settings } from './settings';

/** The policy of a run: OPA at `opaUrl`, `example` for SARK's example policy in process, or none (opa not loaded). */
export async function policyOf(settings: Settings, path = 'mcp/gateway/allow'): Promise<PolicyEvaluator | undefined> {
  if (settings.opaUrl === undefined) return undefined;
  const { OPAClient, localPolicy, sarkExamplePolicy } = await import('@sark/opa');
  if (settings.opaUrl === 'example') return localPolicy(sarkExamplePolicy);
  return new OPAClient({ opaUrl: settings.opaUrl, policyPath: path, timeoutMs: settings.timeoutMs });
}
