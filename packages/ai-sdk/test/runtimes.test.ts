import { generateText, stepCountIs } from 'ai';
import { expect, inject, it } from 'vitest';
import { GatewayClient, localPolicy } from '@sark/gateway';
import { gatewayTools, remoteServerTools } from '@sark/ai-sdk';
import { scriptedModel } from './scripted-model';

const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const token = (sub: string) => `${base64url({ alg: 'none' })}.${base64url({ sub })}.x`;

// Runs in Node and in the edge-runtime environment (fetch only, no Node APIs): an agent in an edge function, with the
// browser/edge entry of @sark/gateway, against a real gateway in front of server-everything.
it('an agent uses the gateway’s tools under policy as the user, and a remote MCP server’s own tools', async () => {
  const users: unknown[] = [];
  const client = new GatewayClient({
    gatewayUrl: inject('aiSdkGatewayUrl'),
    apiKey: inject('aiSdkGatewayApiKey'),
    opaClient: localPolicy((input) => {
      users.push((input['user'] as { id?: unknown }).id);
      return input['tool_name'] === 'get-sum' ? { allow: false, reason: 'no sums at the edge' } : true;
    }),
    retry: { maxAttempts: 1 },
  });
  try {
    const tools = await gatewayTools(client, { servers: ['everything'], userToken: token('eve') });
    const agent = scriptedModel([
      [
        { toolName: 'echo', input: { message: 'from the edge' } },
        { toolName: 'get-sum', input: { a: 1, b: 2 } },
      ],
      'done',
    ]);
    const result = await generateText({ model: agent.model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
    expect(result.text).toBe('done');
    const seen = agent.toolResults(1);
    expect(JSON.stringify(seen.find((part) => part.toolName === 'echo')?.output)).toContain('Echo: from the edge');
    expect(seen.find((part) => part.toolName === 'get-sum')?.output).toEqual({
      type: 'error-text',
      value: 'denied by policy: no sums at the edge',
    });
    expect(users).toEqual(['eve', 'eve']);

    const remote = await client.connectRemoteServer({ id: 'edge-remote', server: 'everything' });
    const direct = scriptedModel([[{ toolName: 'echo', input: { message: 'direct' } }], 'ok']);
    const remoteTools = await remoteServerTools(remote, { tools: ['echo'] });
    await generateText({ model: direct.model, prompt: 'go', tools: remoteTools, stopWhen: stepCountIs(3) });
    expect(JSON.stringify(direct.toolResults(1)[0]?.output)).toContain('Echo: direct');
  } finally {
    await client.close();
  }
});
