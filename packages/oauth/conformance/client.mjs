// The client command the official MCP conformance suite (@modelcontextprotocol/conformance) runs: it appends the
// test server's URL, names the scenario in MCP_CONFORMANCE_SCENARIO and passes credentials in MCP_CONFORMANCE_CONTEXT.
// Built on RemoteServer + OAuthClient (from dist: build first). The suite's authorization server approves at once with
// a redirect to our redirect_uri, so the user's browser is played by one fetch that reads the redirect (headless).
import { OAuthClient, identityAssertion } from '../dist/index.js';
import { RemoteServer } from '@sark/transport-mcp-http';

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');

/** The browser, headless: follows the authorization URL to its redirect and hands back where it points. */
async function headlessAuthorize(authorizationUrl) {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (location === null) throw new Error(`the authorization endpoint answered ${response.status} without a redirect`);
  return new URL(location, authorizationUrl);
}

function authFor(name) {
  if (!name.startsWith('auth/')) return undefined;
  if (name === 'auth/cross-app-access-complete-flow' || name === 'auth/enterprise-managed-authorization') {
    return new OAuthClient({
      grant: 'jwt_bearer',
      clientId: context.client_id,
      clientSecret: context.client_secret,
      assertion: identityAssertion({
        tokenEndpoint: context.idp_token_endpoint,
        idToken: context.idp_id_token,
        clientId: context.idp_client_id,
      }),
    });
  }
  if (name === 'auth/wif-jwt-bearer') {
    return new OAuthClient({ grant: 'jwt_bearer', clientId: context.client_id, assertion: () => context.valid_jwt });
  }
  if (name.startsWith('auth/client-credentials')) {
    return new OAuthClient({
      grant: 'client_credentials',
      clientId: context.client_id,
      clientSecret: context.client_secret,
      privateKey: context.private_key_pem,
      signingAlgorithm: context.signing_algorithm,
    });
  }
  return new OAuthClient({
    authorize: headlessAuthorize,
    redirectUri: 'http://localhost:3000/callback',
    clientId: context.client_id,
    clientSecret: context.client_secret,
    clientMetadataUrl: 'https://conformance-test.local/client-metadata.json',
    clientName: 'sark-conformance-client',
  });
}

const server = await RemoteServer.connect({
  url,
  auth: authFor(scenario),
  clientInfo: { name: 'sark-conformance-client', version: '0.1.0' },
  // Accept every elicitation with nothing filled in: the schema's defaults must be applied (SEP-1034).
  elicitation: async () => ({ action: 'accept', content: {} }),
  sampling: async () => ({ role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'conformance' }),
});
try {
  const tools = await server.listTools();
  const names = tools.map((tool) => tool.name);
  if (scenario === 'tools_call') await server.callTool('add_numbers', { a: 5, b: 3 });
  else if (scenario === 'elicitation-sep1034-client-defaults') {
    await server.callTool('test_client_elicitation_defaults');
  } else if (scenario === 'sse-retry') await server.callTool('test_reconnection');
  else if (scenario === 'http-standard-headers') {
    // Every method whose headers the scenario checks (Mcp-Method on each, Mcp-Name where a name or URI is sent).
    for (const name of names) await server.callTool(name);
    const { resources = [] } = await server.sendRequest('resources/list', {});
    for (const resource of resources) await server.sendRequest('resources/read', { uri: resource.uri });
    const { prompts = [] } = await server.sendRequest('prompts/list', {});
    for (const prompt of prompts) await server.sendRequest('prompts/get', { name: prompt.name, arguments: {} });
  } else if (Array.isArray(context.toolCalls)) {
    // The calls the scenario asks for, with its arguments (http-custom-headers).
    for (const call of context.toolCalls) await server.callTool(call.name, call.arguments ?? {});
  } else if (scenario === 'json-schema-2020-12-preservation') {
    // The focal tool's inputSchema, echoed back as we hold it: nothing stripped or altered (SEP-1613, SEP-2106).
    const focal = tools.find((tool) => tool.name === 'json_schema_2020_12_tool');
    await server.callTool('json_schema_echo', { schema: focal?.inputSchema ?? {} });
  } else if (scenario !== 'initialize' && scenario !== 'json-schema-ref-no-deref') {
    for (const name of names) await server.callTool(name);
  }
  console.log(`${scenario}: ${names.length} tools; done`);
} finally {
  await server.close();
}
