// A server on the official MCP TypeScript SDK v2 (@modelcontextprotocol/server), which implements revision 2026-07-28:
// the real peer for our client's 2026-07-28 support. Tools: `echo`, `deploy` (asks for confirmation through a
// multi-round-trip elicitation), `consent` (asks the user to open a page: URL-mode elicitation), `locate` (mirrors
// its `region` into an `Mcp-Param-Region` header).
// Run as a program: `node sdk2-server.mjs stdio` serves stdio; `node sdk2-server.mjs http` prints `listening <url>`.
import { createServer } from 'node:http';
import {
  McpServer,
  acceptedContent,
  createMcpHandler,
  fromJsonSchema,
  inputRequired,
} from '@modelcontextprotocol/server';
import { z } from 'zod';

/** A new McpServer with the fixture's tools (the HTTP handler makes one per request). */
export function sdk2Server() {
  const server = new McpServer({ name: 'sdk2-fixture', version: '2.4.0' }, { instructions: 'A 2026-07-28 server.' });
  server.registerTool(
    'echo',
    { description: 'Echoes the message', inputSchema: z.object({ message: z.string() }) },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
  );
  server.registerTool(
    'deploy',
    { description: 'Deploys after the user confirms', inputSchema: z.object({ env: z.string() }) },
    async ({ env }, ctx) => {
      const schema = z.object({ confirm: z.boolean() });
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', schema);
      if (answer?.confirm !== true) {
        return inputRequired({
          inputRequests: { confirm: inputRequired.elicit({ message: `Deploy to ${env}?`, requestedSchema: schema }) },
        });
      }
      return { content: [{ type: 'text', text: `deployed to ${env}` }] };
    },
  );
  server.registerTool(
    'consent',
    { description: 'Needs the user to consent on a page first', inputSchema: z.object({}) },
    async (_args, ctx) => {
      const answer = ctx.mcpReq.inputResponses?.['consent'];
      if (answer?.action !== 'accept') {
        return inputRequired({
          inputRequests: {
            consent: inputRequired.elicitUrl({
              message: 'Allow access to your calendar',
              url: 'https://consent.example/authorize?session=s-42&token=secret-abcdef123456',
            }),
          },
        });
      }
      return { content: [{ type: 'text', text: 'consented' }] };
    },
  );
  server.registerTool(
    'locate',
    {
      description: 'Says which region it was asked about',
      inputSchema: fromJsonSchema({
        type: 'object',
        properties: { region: { type: 'string', 'x-mcp-header': 'Region' } },
      }),
    },
    async (args) => ({ content: [{ type: 'text', text: `region ${String(args?.region)}` }] }),
  );
  return server;
}

/** The fixture over Streamable HTTP on 127.0.0.1: `{ url, close() }`. */
export async function startSdk2Http() {
  const handler = createMcpHandler(sdk2Server);
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      body: req.method === 'GET' || req.method === 'HEAD' || body.length === 0 ? undefined : body,
    });
    const response = await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  if (process.argv[2] === 'http') {
    const { url } = await startSdk2Http();
    console.log(`listening ${url}`);
  } else if (process.argv[2] === 'stdio') {
    const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
    serveStdio(sdk2Server);
  }
}
