import { OPAClient, localPolicy, sarkExamplePolicy, type PolicyEvaluator } from '@sark/opa';
import type { Settings } from './settings';

/** The policy of a run: OPA at `opaUrl`, `example` for SARK's example policy in process, or none. */
export function policyOf(settings: Settings, path = 'mcp/gateway/allow'): PolicyEvaluator | undefined {
  if (settings.opaUrl === undefined) return undefined;
  if (settings.opaUrl === 'example') return localPolicy(sarkExamplePolicy);
  return new OPAClient({ opaUrl: settings.opaUrl, policyPath: path, timeoutMs: settings.timeoutMs });
}
