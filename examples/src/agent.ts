// An AI SDK agent that uses the gateway's tools under the gateway's policy, as the signed-in user. The model here is
// a scripted stand-in (./mock-model); with a real one (openai('gpt-…')) nothing else changes.
import { gatewayTools } from '@sark/ai-sdk';
import { GatewayClient, localPolicy } from '@sark/gateway';
import { generateText, stepCountIs } from 'ai';
import { demoPolicy } from './demo-policy';
import { demoToken, runAgainstGateway } from './dev-setup';
import { scriptedModel } from './mock-model';

await runAgainstGateway(async (gatewayUrl, apiKey) => {
  await using client = new GatewayClient({ gatewayUrl, apiKey, opaClient: localPolicy(demoPolicy) });
  const userToken = demoToken({ sub: 'ana', roles: ['analyst'] });

  // Every tool the model calls goes through client.invokeTool: policy, filtering, retries, the circuit breaker.
  const tools = await gatewayTools(client, { userToken, servers: ['everything'] });
  console.log(`tools for the model: ${Object.keys(tools).join(', ')}`);

  const result = await generateText({
    model: scriptedModel('get-sum', { a: 20, b: 22 }),
    prompt: 'What is 20 + 22? Use a tool.',
    tools,
    stopWhen: stepCountIs(3),
  });
  for (const step of result.steps) {
    for (const call of step.toolCalls) console.log(`model called ${call.toolName}(${JSON.stringify(call.input)})`);
  }
  console.log(`model answered: ${result.text}`);
});
