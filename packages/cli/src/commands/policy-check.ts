import { buildInvocationInput, localPolicy, sarkExamplePolicy } from '@sark/opa';
import { toolArguments, valueOrFile } from '../arguments';
import { start } from '../context';
import { EXIT } from '../exit-codes';
import type { ActionContext } from '../main';
import { policyOf } from '../policy';

/**
 * What the policy decides for this user and call — allow or deny, the reason, the parameters it would send — without
 * calling anything. OPA at `--opa-url` (or `SARK_OPA_URL`), else SARK's example policy in process. A denial is
 * printed, then exit 6.
 */
export async function run(context: ActionContext): Promise<void> {
  const { settings, output } = await start(context);
  const [serverName, toolName, pairs = []] = context.args as [string, string, string[]];
  const parameters = await toolArguments(pairs, context.options['json']);
  const userToken = await valueOrFile(String(context.options['user']));
  const opaUrl = typeof context.options['opaUrl'] === 'string' ? context.options['opaUrl'] : settings.opaUrl;
  const path = String(context.options['opaPath']);
  const evaluator =
    (opaUrl === undefined ? undefined : await policyOf({ ...settings, opaUrl }, path)) ??
    localPolicy(sarkExamplePolicy);
  const input = buildInvocationInput({ serverName, toolName, parameters, userToken });
  const decision = await evaluator.evaluate(input);
  output.item({
    decision: decision.allow ? 'allow' : 'deny',
    reason: decision.reason,
    policy: opaUrl ?? 'SARK example policy (in process)',
    ...(decision.allow ? { parameters: decision.filteredParameters ?? parameters } : {}),
    ...(decision.decisionId ? { decisionId: decision.decisionId } : {}),
  });
  if (!decision.allow) process.exitCode = EXIT.denied;
}
