import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { generateText, stepCountIs } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { GatewayClient, localPolicy } from '@sark/gateway';
import { gatewayTools, localServerTools, remoteServerTools, uniqueToolNames } from '@sark/ai-sdk';
import { scriptedModel } from './scripted-model';

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
const everything = join(
  dirname(manifestPath),
  Object.values((require(manifestPath) as { bin: Record<string, string> }).bin)[0] as string,
);

let gateway: DevGateway;
let client: GatewayClient;
const calls: { user: unknown; tool: unknown }[] = [];
beforeAll(async () => {
  gateway = await startDevGateway({
    config: {
      apiKey: 'ai-key',
      syntheticServers: 2,
      servers: [{ name: 'everything', command: process.execPath, args: [everything, 'stdio'] }],
    },
  });
  // The policy: get-sum is denied; echo loses its api_key parameter; everything else is allowed.
  const policy = localPolicy((input) => {
    calls.push({ user: (input['user'] as { id?: unknown }).id, tool: input['tool_name'] });
    if (input['tool_name'] === 'get-sum') return { allow: false, reason: 'Denied: sums are not for analysts' };
    if (input['tool_name'] === 'get-env') throw new Error('policy store down: password=hunter2-very-secret');
    if (input['tool_name'] === 'echo') {
      const { api_key: _dropped, ...rest } = input['parameters'] as Record<string, unknown>;
      return { allow: true, filteredParameters: rest };
    }
    return true;
  });
  client = new GatewayClient({
    gatewayUrl: gateway.url,
    apiKey: 'ai-key',
    opaClient: policy,
    retry: { maxAttempts: 1 },
  });
}, 60_000);
afterAll(async () => {
  await client.close();
  await gateway.close();
});

const token = (sub: string) =>
  [{ alg: 'none' }, { sub }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.x';

describe('gatewayTools: the gateway’s tools for the AI SDK, under policy, as the user', () => {
  it('builds one tool per gateway tool with its parameters as the input schema', async () => {
    const tools = await gatewayTools(client, { servers: ['everything'], userToken: token('ana') });
    expect(Object.keys(tools)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const schema = (tools['echo']?.inputSchema as { jsonSchema: unknown }).jsonSchema;
    expect(schema).toMatchObject({
      type: 'object',
      properties: { message: { type: 'string' } },
      required: ['message'],
    });
  });

  it('allowed, denied and filtered calls: results and the denial reach the model’s next step', async () => {
    const tools = await gatewayTools(client, { servers: ['everything'], userToken: token('ana') });
    const { model, toolResults } = scriptedModel([
      [
        { toolName: 'echo', input: { message: 'hello', api_key: 'sk-should-be-filtered' } },
        { toolName: 'get-sum', input: { a: 1, b: 2 } },
      ],
      'finished',
    ]);
    calls.length = 0;
    const result = await generateText({ model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
    expect(result.text).toBe('finished');
    const seen = toolResults(1);
    const echo = seen.find((part) => part.toolName === 'echo');
    expect(JSON.stringify(echo?.output)).toContain('Echo: hello');
    expect(JSON.stringify(echo?.output)).not.toContain('sk-should-be-filtered');
    const sum = seen.find((part) => part.toolName === 'get-sum');
    expect(sum?.output).toEqual({ type: 'error-text', value: 'denied by policy: Denied: sums are not for analysts' });
    expect(calls).toEqual([
      { user: 'ana', tool: 'echo' },
      { user: 'ana', tool: 'get-sum' },
    ]);
  });

  it('a tool set belongs to the user it was made for, whatever later happens to the options object', async () => {
    const options = { servers: ['everything'], tools: ['echo'], userToken: token('ana') };
    const tools = await gatewayTools(client, options);
    options.userToken = token('mallory'); // e.g. an options object reused for the next user's request
    const { model } = scriptedModel([[{ toolName: 'echo', input: { message: 'whose?' } }], 'ok']);
    calls.length = 0;
    await generateText({ model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
    expect(calls).toEqual([{ user: 'ana', tool: 'echo' }]);
  });

  it('any other failure reaches the model redacted', async () => {
    const tools = await gatewayTools(client, { servers: ['everything'], tools: ['get-env'] });
    const { model, toolResults } = scriptedModel([[{ toolName: 'get-env', input: {} }], 'ok']);
    await generateText({ model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
    const output = toolResults(1)[0]?.output as { type: string; value: string };
    expect(output.type).toBe('error-text');
    expect(output.value).toContain('policy store down');
    expect(output.value).not.toContain('hunter2-very-secret');
  });

  it('a call that times out is a tool error the model reads; the loop goes on', async () => {
    gateway.setFaults({ latencyMs: 500 });
    try {
      const tools = await gatewayTools(client, { servers: ['everything'], timeoutMs: 100 });
      const { model, toolResults } = scriptedModel([[{ toolName: 'echo', input: { message: 'slow' } }], 'recovered']);
      const result = await generateText({ model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
      expect(result.text).toBe('recovered');
      const output = toolResults(1)[0]?.output as { type: string; value: string };
      expect(output.type).toBe('error-text');
      expect(output.value).toMatch(/timed out after 100 ms/);
    } finally {
      gateway.setFaults({});
    }
  });

  it('aborting the generation aborts the call in flight and rejects with the abort reason', async () => {
    gateway.setFaults({ latencyMs: 5000 });
    try {
      const tools = await gatewayTools(client, { servers: ['everything'] });
      const { model } = scriptedModel([[{ toolName: 'echo', input: { message: 'never' } }], 'unreachable']);
      const controller = new AbortController();
      const before = client.getMetrics().http?.inFlight ?? 0;
      const generation = generateText({
        model,
        prompt: 'go',
        tools,
        abortSignal: controller.signal,
        stopWhen: stepCountIs(3),
      });
      await expect.poll(() => client.getMetrics().http?.inFlight).toBe(before + 1);
      controller.abort(new Error('user stopped the agent'));
      await expect(generation).rejects.toThrow('user stopped the agent');
      await expect.poll(() => client.getMetrics().http?.inFlight).toBe(before);
    } finally {
      gateway.setFaults({});
    }
  });
});

describe('gatewayTools on the MCP Gateway Registry (dialect mcp-gateway-registry)', () => {
  it('the registry’s tools, called over its MCP paths, under the same policy', async () => {
    const registry = await startDevGateway({
      config: {
        apiKey: 'registry-key',
        dialect: 'mcp-gateway-registry',
        servers: [{ name: 'everything', command: process.execPath, args: [everything, 'stdio'] }],
      },
    });
    const asked: unknown[] = [];
    const registryClient = new GatewayClient({
      gatewayUrl: registry.url,
      apiKey: 'registry-key',
      dialect: 'auto',
      opaClient: localPolicy((input) => {
        asked.push([input['server_name'], input['tool_name']]);
        return input['tool_name'] === 'echo' || { allow: false, reason: 'Denied: echo only' };
      }),
      retry: { maxAttempts: 1 },
    });
    try {
      const tools = await gatewayTools(registryClient, { servers: ['/everything'], tools: ['echo', 'get-sum'] });
      expect(Object.keys(tools).sort()).toEqual(['echo', 'get-sum']);
      const { model, toolResults } = scriptedModel([
        [
          { toolName: 'echo', input: { message: 'via the registry' } },
          { toolName: 'get-sum', input: { a: 1, b: 2 } },
        ],
        'done',
      ]);
      const result = await generateText({ model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
      expect(result.text).toBe('done');
      const seen = toolResults(1);
      expect(JSON.stringify(seen.find((part) => part.toolName === 'echo')?.output)).toContain('Echo: via the registry');
      expect(seen.find((part) => part.toolName === 'get-sum')?.output).toEqual({
        type: 'error-text',
        value: 'denied by policy: Denied: echo only',
      });
      expect(asked).toEqual([
        ['/everything', 'echo'],
        ['/everything', 'get-sum'],
      ]);
      expect(registry.executed.get('everything/echo')).toBe(1);
      expect(registry.executed.get('everything/get-sum')).toBeUndefined();
    } finally {
      await registryClient.close();
      await registry.close();
    }
  }, 60_000);
});

describe('gatewayTools on an aggregated MCP endpoint (dialect mcp)', () => {
  it('the endpoint’s prefixed tools under their own names, called through the prefix', async () => {
    const aggregated = new GatewayClient({ gatewayUrl: `${gateway.url}/mcp`, apiKey: 'ai-key', dialect: 'mcp' });
    try {
      const tools = await gatewayTools(aggregated, { servers: ['everything'], tools: ['echo'] });
      expect(Object.keys(tools)).toEqual(['echo']);
      const { model, toolResults } = scriptedModel([[{ toolName: 'echo', input: { message: 'aggregated' } }], 'ok']);
      await generateText({ model, prompt: 'go', tools, stopWhen: stepCountIs(3) });
      expect(JSON.stringify(toolResults(1)[0]?.output)).toContain('Echo: aggregated');
    } finally {
      await aggregated.close();
    }
  });
});

describe('tools of MCP servers connected directly', () => {
  it('localServerTools and remoteServerTools: the server’s own tools and schemas', async () => {
    const local = await client.connectLocalServer({
      command: process.execPath,
      args: [everything, 'stdio'],
      serverId: 'ai-local',
    });
    const remote = await client.connectRemoteServer({ id: 'ai-remote', server: 'everything' });
    const localSet = await localServerTools(local, { tools: ['echo', 'get-sum'] });
    const remoteSet = await remoteServerTools(remote, { tools: ['echo'] });
    expect(Object.keys(localSet).sort()).toEqual(['echo', 'get-sum']);
    const { model, toolResults } = scriptedModel([[{ toolName: 'echo', input: { message: 'direct' } }], 'ok']);
    await generateText({ model, prompt: 'go', tools: remoteSet, stopWhen: stepCountIs(3) });
    expect(JSON.stringify(toolResults(1)[0]?.output)).toContain('Echo: direct');
    await client.disconnectLocalServer('ai-local');
    await client.disconnectRemoteServer('ai-remote');
  });
});

describe('tool names', () => {
  it('plain names when unique; server_tool for every tool that shares a name; the same whatever the order', () => {
    const tools = [
      { server: 'github', name: 'search' },
      { server: 'jira', name: 'search' },
      { server: 'github', name: 'create_issue' },
      { server: 'a.b', name: 'x y' },
    ];
    expect(uniqueToolNames(tools)).toEqual(['github_search', 'jira_search', 'create_issue', 'x_y']);
    expect(uniqueToolNames([...tools].reverse())).toEqual(['x_y', 'create_issue', 'jira_search', 'github_search']);
    const long = uniqueToolNames([
      { server: 's', name: 'n'.repeat(80) },
      { server: 't', name: 'n'.repeat(80) },
    ]);
    expect(long.every((name) => name.length <= 64)).toBe(true);
    expect(new Set(long).size).toBe(2);
  });
});
