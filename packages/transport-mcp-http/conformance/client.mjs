// The client command the official MCP conformance suite (@modelcontextprotocol/conformance) runs: it appends the
// test server's URL and names the scenario in MCP_CONFORMANCE_SCENARIO. Built on RemoteServer (from dist: build first).
import { RemoteServer } from '../dist/index.js';

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';

const server = await RemoteServer.connect({
  url,
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
  else if (scenario !== 'initialize') for (const name of names) await server.callTool(name).catch(() => undefined);
  console.log(`${scenario}: ${names.length} tools; done`);
} finally {
  await server.close();
}
