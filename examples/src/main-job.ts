// The main job: the usage guide's complete workflow, for real. Starts a dev gateway in front of two real MCP
// servers from npm (with its OAuth authorization server beside it), then, with GatewayClient: discovers servers,
// lists tools, invokes tools under a local policy (one call filtered, one denied), streams events, connects a local
// stdio server directly and a remote one behind OAuth, runs an agent step, does the same against the MCP Gateway
// Registry's API (a second dev gateway in registry mode), and prints health and metrics. Exits 0 and leaves nothing
// running.
import { execFile as execFileCallback } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gatewayTools } from '@sark/ai-sdk';
import { generateText, stepCountIs } from 'ai';
import { GatewayClient, PermissionDeniedError, localPolicy, type GatewayEvent } from '@sark/gateway';
import { OAuthClient, headlessDriver } from '@sark/oauth';
import { demoPolicy } from './demo-policy';
import { DEMO_API_KEY, demoToken, mcpServer, startDemoGateway, table } from './dev-setup';
import { scriptedModel } from './mock-model';

const require = createRequire(import.meta.url);
const execFile = promisify(execFileCallback);
const interactive = process.stdout.isTTY === true;
const step = (title: string) => console.log(`\n▸ ${title}`);

function spinner(text: string): { stop(final: string): void } {
  if (!interactive) {
    console.log(`  ${text}`);
    return { stop: (final) => console.log(`  ${final}`) };
  }
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let i = 0;
  const timer = setInterval(() => process.stdout.write(`\r  ${frames[i++ % frames.length]} ${text}`), 80);
  return {
    stop(final) {
      clearInterval(timer);
      process.stdout.write(`\r\x1b[2K  ${final}\n`);
    },
  };
}

async function main(): Promise<void> {
  console.log('SARK Gateway client — the complete workflow against a local dev gateway');

  step('Starting the dev gateway with real MCP servers (@modelcontextprotocol/server-everything, server-memory)');
  const progress = spinner('starting MCP servers…');
  const started: string[] = [];
  const gateway = await startDemoGateway({
    oauth: true,
    onServerStarted: (name, ok, detail) => started.push(`${ok ? '✓' : '✗'} ${name} (${detail})`),
  });
  progress.stop(`${started.join('   ')}   → gateway at ${gateway.url}`);
  console.log(`  its MCP endpoints take OAuth tokens from the authorization server at ${gateway.issuer}`);

  // OAuth for the gateway's MCP endpoints: the dev gateway's authorization server (oidc-provider) approves every
  // sign-in at once, so a headless driver plays the browser; a command-line tool would use loopbackDriver().
  const signIns: string[] = [];
  const driver = headlessDriver();
  const auth = new OAuthClient({
    redirectUri: driver.redirectUri,
    authorize: (url, options) => {
      signIns.push(url.searchParams.get('resource') ?? '');
      return driver.authorize(url, options);
    },
    clientName: 'SARK main job',
  });

  const analyst = demoToken({ sub: 'ana', email: 'ana@example.com', roles: ['analyst'], teams: ['platform'] });
  const client = new GatewayClient({
    gatewayUrl: gateway.url,
    apiKey: DEMO_API_KEY,
    auth,
    opaClient: localPolicy(demoPolicy),
    timeoutMs: 10_000,
  });
  try {
    step('Discovering servers');
    const servers = await client.listAllServers();
    console.log(
      table(
        servers.map((s) => ({
          server: s.serverName,
          url: s.serverUrl,
          health: s.healthStatus,
          tools: s.toolsCount,
          sensitivity: s.sensitivityLevel,
        })),
      ),
    );

    step('Listing tools');
    for (const server of servers) {
      const tools = await client.listAllTools({ serverName: server.serverName });
      console.log(`${server.serverName}: ${tools.length} tools`);
      console.log(
        table(
          tools.slice(0, 6).map((t) => ({
            tool: t.toolName,
            parameters: t.parameters.map((p) => `${p.name}${p.required ? '' : '?'}: ${p.type}`).join(', ') || '—',
            description: t.description.length > 48 ? `${t.description.slice(0, 47)}…` : t.description,
          })),
        ),
      );
      if (tools.length > 6) console.log(`… and ${tools.length - 6} more`);
    }

    const again = await client.listAllServers();
    console.log(
      `listed the servers again: ${again.length} servers, from the cache (hit rate ` +
        `${client.getMetrics().http?.cacheHitRate.toFixed(2)})`,
    );

    step('Streaming events (in the background while we invoke)');
    const events: GatewayEvent[] = [];
    const stream = client.streamEvents({ eventTypes: ['tool_invoked', 'error'] });
    const collecting = (async () => {
      for await (const event of stream) {
        events.push(event);
        if (events.length >= 3) break;
      }
    })();
    // Once the stream is connected it hears every call below (waiting at most 5 s for that).
    for (let waited = 0; !client.getMetrics().sse?.connectionsMade && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    step('Invoking tools as user "ana" (role analyst) under the local policy');
    const echo = await client.invokeTool({
      userToken: analyst,
      serverName: 'everything',
      toolName: 'echo',
      parameters: { message: 'hello from @sark/gateway', api_key: 'sk-must-not-leave-the-client' },
    });
    console.log(`everything/echo     → ${JSON.stringify(echo['result'])}  (api_key filtered out by the policy)`);
    const sum = await client.invokeTool({
      userToken: analyst,
      serverName: 'everything',
      toolName: 'get-sum',
      parameters: { a: 19, b: 23 },
    });
    console.log(`everything/get-sum  → ${JSON.stringify(sum['result'])}`);
    const graph = await client.invokeTool({
      userToken: analyst,
      serverName: 'memory',
      toolName: 'read_graph',
      parameters: {},
    });
    console.log(`memory/read_graph   → ${JSON.stringify(graph['result']).slice(0, 100)}`);
    try {
      await client.invokeTool({
        userToken: analyst,
        serverName: 'memory',
        toolName: 'delete_entities',
        parameters: { entityNames: ['everything'] },
      });
      console.log('memory/delete_entities → unexpectedly allowed');
    } catch (error) {
      if (!(error instanceof PermissionDeniedError)) throw error;
      console.log(`memory/delete_entities → denied by policy: ${error.reason} (nothing was sent to the gateway)`);
    }

    await Promise.race([collecting, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await stream.return?.();
    const describe = (e: GatewayEvent) =>
      `#${e.eventId} ${e.eventType} ${(e.json() as { tool_name?: string }).tool_name ?? ''}`;
    console.log(`events received: ${events.map(describe).join(', ')}`);

    step('Connecting a local stdio server directly (no gateway in between)');
    const local = await client.connectLocalServer({
      ...mcpServer('@modelcontextprotocol/server-everything', 'stdio'),
      serverId: 'local-everything',
    });
    const localTools = await local.listTools();
    const localEcho = await local.callTool('echo', { message: 'straight over stdio' });
    console.log(
      `local-everything (pid ${local.pid}, ${local.serverInfo?.name} ${local.serverInfo?.version}, protocol ` +
        `${local.protocolVersion}): ${localTools.length} tools`,
    );
    console.log(`local echo → ${JSON.stringify(localEcho.content)}`);

    step('Connecting a remote server over MCP Streamable HTTP behind OAuth (the gateway’s /mcp/everything)');
    const remote = await client.connectRemoteServer({ id: 'remote-everything', server: 'everything' });
    console.log(
      `401 → discovery → registration → sign-in (authorization code + PKCE) → token for ${signIns.join(', ')} ` +
        `(${signIns.length} sign-in)`,
    );
    const steps: number[] = [];
    await remote.callTool(
      'trigger-long-running-operation',
      { duration: 0.4, steps: 4 },
      { onProgress: ({ progress }) => steps.push(progress) },
    );
    const remoteEcho = await remote.callTool('echo', { message: 'over streamable http' });
    console.log(`remote-everything (session ${remote.sessionId?.slice(0, 8)}…, protocol ${remote.protocolVersion})`);
    console.log(`remote progress ${steps.join(' → ')}; remote echo → ${JSON.stringify(remoteEcho.content)}`);

    step('Health');
    const health = await client.healthCheck();
    console.log(`overall: ${health.status}`);
    console.log(
      `  http:  ${health.http?.status}, ${health.http?.latencyMs} ms, cache hit rate ` +
        `${health.http?.cacheHitRate.toFixed(2)}`,
    );
    console.log(`  sse:   ${health.sse?.connectionState}, ${health.sse?.activeStreams} active streams`);
    for (const [id, s] of Object.entries(health.stdio ?? {})) console.log(`  stdio: ${id} ${s.status} (pid ${s.pid})`);
    for (const [id, s] of Object.entries(health.remote ?? {})) {
      console.log(`  remote: ${id} ${s.responsive ? 'responsive' : 'unresponsive'} (${s.latencyMs.toFixed(1)} ms)`);
    }
    console.log(`  opa:   ${health.opa?.status}`);
    console.log(`  circuit breaker: ${health.errorHandler?.circuitBreaker.state}`);

    step('One agent step (AI SDK with a scripted model): the gateway’s tools, under policy, as ana');
    const tools = await gatewayTools(client, {
      userToken: analyst,
      servers: ['everything'],
      tools: ['echo', 'get-sum'],
    });
    const agent = await generateText({
      model: scriptedModel('get-sum', { a: 40, b: 2 }),
      prompt: 'What is 40 + 2?',
      tools,
      stopWhen: stepCountIs(3),
    });
    console.log(`agent tools: ${Object.keys(tools).join(', ')}; agent answered: ${agent.text}`);

    step('The same workflow against the MCP Gateway Registry’s API (the dev gateway in registry mode, behind OAuth)');
    await registryWorkflow();

    step('Metrics');
    console.log(JSON.stringify(client.getMetrics(), null, 2));

    step('The same gateway from the command line (`sark`, @sark/cli)');
    await sarkCommands(gateway.url);
  } finally {
    step('Closing');
    await client.close();
    await gateway.dispose();
    console.log('client closed, gateway and MCP servers stopped — done.');
  }
}

/**
 * A few `sark` commands against the same gateway, as a person would type them (their output and exit codes shown):
 * the servers, a call with typed arguments, and a policy check that denies.
 */
async function sarkCommands(gatewayUrl: string): Promise<void> {
  const bin = join(dirname(require.resolve('@sark/cli/package.json')), 'bin', 'sark.js');
  const env = { ...process.env, SARK_GATEWAY_URL: gatewayUrl, SARK_API_KEY: DEMO_API_KEY, NO_COLOR: '1' };
  const analystToken = demoToken({ sub: 'ana', roles: ['analyst'] });
  const commands = [
    ['servers'],
    ['call', 'everything', 'get-sum', 'a=19', 'b=23'],
    ['policy', 'check', 'memory', 'delete_entities', '--user', analystToken],
  ];
  for (const args of commands) {
    const shown = args.map((arg) => (arg === analystToken ? '@ana.jwt' : arg)).join(' ');
    // Not spawnSync: the gateway answers from this very process.
    const run = await execFile(process.execPath, [bin, ...args], { env, encoding: 'utf8' }).then(
      ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
      (failed: { stdout: string; stderr: string; code: number }) => failed,
    );
    console.log(`$ sark ${shown}\n${run.stdout.trimEnd()}${run.stderr ? `\n${run.stderr.trimEnd()}` : ''}`);
    console.log(`(exit ${run.code})`);
  }
}

/**
 * Discover, invoke under policy and one agent step against a gateway teams deploy: the MCP Gateway Registry (served by
 * a second dev gateway in registry mode). The client finds the dialect itself; the registry's OAuth token travels in
 * X-Authorization to its MCP paths.
 */
async function registryWorkflow(): Promise<void> {
  const registry = await startDemoGateway({ dialect: 'mcp-gateway-registry', oauth: true, everythingOnly: true });
  const driver = headlessDriver();
  const client = new GatewayClient({
    gatewayUrl: registry.url,
    dialect: 'auto',
    auth: new OAuthClient({ redirectUri: driver.redirectUri, authorize: driver.authorize }),
    // The registry vouches for the signed-in user; the demo policy treats them as an analyst.
    opaClient: localPolicy((input) => demoPolicy({ ...input, user: { id: 'developer', roles: ['analyst'] } })),
    timeoutMs: 10_000,
  });
  try {
    const servers = await client.listAllServers();
    const me = await client.whoami();
    console.log(
      `registry at ${registry.url} speaks ${client.dialect}; signed in as ${me.username} (${me.authMethod}); ` +
        `servers: ${servers.map((server) => `${server.serverId} (${server.toolsCount} tools)`).join(', ')}`,
    );
    const echo = await client.invokeTool({
      serverName: '/everything',
      toolName: 'echo',
      parameters: { message: 'through the registry' },
    });
    console.log(`registry echo → ${JSON.stringify(echo)}`);
    await client.invokeTool({ serverName: '/everything', toolName: 'get-env' }).catch((error: unknown) => {
      if (!(error instanceof PermissionDeniedError)) throw error;
      console.log(`registry get-env → ${error.reason}`);
    });
    const tools = await gatewayTools(client, { servers: ['/everything'], tools: ['echo', 'get-sum'] });
    const agent = await generateText({
      model: scriptedModel('get-sum', { a: 30, b: 12 }),
      prompt: 'What is 30 + 12?',
      tools,
      stopWhen: stepCountIs(3),
    });
    console.log(`registry agent answered: ${agent.text}`);
  } finally {
    await client.close();
    await registry.dispose();
  }
}

main().catch((error: unknown) => {
  console.error('main job failed:', error);
  process.exitCode = 1;
});
