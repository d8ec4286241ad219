// bench/client: invokeTool through the full GatewayClient (error handling on, no policy) vs raw undici.request on
// the dev gateway (synthetic servers: the gateway's own work is the same for both, no child process in the path).
import { startDevGateway } from '@sark/dev-gateway';
import { jsonObjectSnapshot } from '@sark/core';
import { GatewayClient, localPolicy } from '@sark/gateway';
import * as otel from '@opentelemetry/api';
import { Pool } from 'undici';
import { compare, report } from '../lib/measure.mjs';

async function concurrently(total, width, call) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next++ < total) await call();
    }),
  );
}

/** The row whose "ours" is the client's own CPU per call. */
const CPU_ROW = 'client CPU per call: in-memory invokeTool vs bare fetch';

export async function run() {
  const gateway = await startDevGateway({ config: { syntheticServers: 1 } });
  const client = new GatewayClient({ gatewayUrl: gateway.url, maxConnections: 50 });
  const pool = new Pool(gateway.url, { connections: 50, pipelining: 1 });
  const traced = new GatewayClient({ gatewayUrl: gateway.url, maxConnections: 50, telemetry: otel });
  const answer = JSON.stringify({ success: true, result: { ok: 1 }, metadata: {} });
  // A real Response per call: Node 20 spends ≈ 8 µs making one (headers, a web ReadableStream) and ≈ 4 µs reading
  // it — the runtime's cost, not the client's.
  const responseFetch = async () => new Response(answer, { headers: { 'content-type': 'application/json' } });
  const responseClient = new GatewayClient({ gatewayUrl: 'http://127.0.0.1:9', fetch: responseFetch });
  // The smallest answer a fetch client can read (status, type, headers.get, body.getReader): with it, what is left
  // of a call is the client's own CPU.
  const answerBytes = new TextEncoder().encode(answer);
  const answerHeaders = { get: (name) => (name === 'content-type' ? 'application/json' : null) };
  const memoryFetch = async () => {
    let read = false;
    const reader = {
      read: async () =>
        read ? { done: true, value: undefined } : ((read = true), { done: false, value: answerBytes }),
      cancel: async () => undefined,
      releaseLock: () => undefined,
    };
    return { status: 200, type: 'basic', headers: answerHeaders, body: { getReader: () => reader } };
  };
  const bareFetch = async () => {
    const reader = (await memoryFetch()).body.getReader();
    while (!(await reader.read()).done);
  };
  const memoryPlain = new GatewayClient({ gatewayUrl: 'http://127.0.0.1:9', fetch: memoryFetch });
  const memoryTraced = new GatewayClient({ gatewayUrl: 'http://127.0.0.1:9', fetch: memoryFetch, telemetry: otel });
  const ours = () =>
    client.invokeTool({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { value: 'hi' } });
  const raw = async () => {
    const { body } = await pool.request({
      method: 'POST',
      path: '/api/v1/invoke',
      headers: {
        accept: 'application/json',
        'user-agent': 'sark-gateway-js/0.1.0',
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({ server: 'synthetic-00000', tool: 'tool_0', parameters: { value: 'hi' } }),
    });
    return body.json();
  };
  // The one copy of the invocation taken at the API boundary (issue 12, rule 2), on typical tool parameters, against
  // the JSON.stringify every invocation does anyway.
  const typical = () => ({
    query: 'SELECT id, name FROM users WHERE team = $1',
    params: ['data'],
    limit: 50,
    explain: false,
    database: 'analytics',
  });
  const results = [
    // 21 rounds: on a shared 2-core machine one round's ratio swings ±20 % (the gateway shares the cores).
    await compare('invokeTool (full client) vs raw undici, sequential', {
      ours,
      baseline: raw,
      iterations: 300,
      rounds: 21,
    }),
    await compare('invokeTool 50-way concurrent (2 000 calls)', {
      ours: () => concurrently(2000, 50, ours),
      baseline: () => concurrently(2000, 50, raw),
      iterations: 1,
      rounds: 7,
    }),
    // OpenTelemetry's API passed in but no provider registered (a library user's usual case): its cost must be ~0.
    await compare('invokeTool with telemetry, no provider vs without', {
      ours: () => traced.invokeTool({ serverName: 'synthetic-00000', toolName: 'tool_0', parameters: { value: 'hi' } }),
      baseline: ours,
      iterations: 300,
      rounds: 9,
    }),
    // Without the network: an in-memory fetch answers at once, so only the client's own work is timed and the row is
    // not drowned by the socket's noise. "ours" is the client's CPU per call (plus the bare fetch, ≈ 0.3 µs).
    await compare(CPU_ROW, {
      ours: () => memoryPlain.invokeTool({ serverName: 's', toolName: 't', parameters: { value: 'hi' } }),
      baseline: bareFetch,
      iterations: 2000,
      rounds: 15,
    }),
    await compare('same, telemetry without a provider vs without', {
      ours: () => memoryTraced.invokeTool({ serverName: 's', toolName: 't', parameters: { value: 'hi' } }),
      baseline: () => memoryPlain.invokeTool({ serverName: 's', toolName: 't', parameters: { value: 'hi' } }),
      iterations: 2000,
      rounds: 15,
    }),
    // For reference: the same call with a real Response per call (the runtime's ≈ 12 µs included).
    await compare('same, a real Response per call vs the bare fetch', {
      ours: () => responseClient.invokeTool({ serverName: 's', toolName: 't', parameters: { value: 'hi' } }),
      baseline: async () => (await responseFetch()).arrayBuffer(),
      iterations: 2000,
      rounds: 15,
    }),
    // Last: its many short-lived copies must not weigh on the rows above.
    await compare('parameter snapshot vs JSON.stringify, 5 fields', {
      ours: () => jsonObjectSnapshot(typical(), 'parameters'),
      baseline: () => JSON.stringify(typical()),
      iterations: 20000,
    }),
  ];
  await client.close();
  await traced.close();
  await memoryPlain.close();
  await responseClient.close();
  await memoryTraced.close();
  await pool.close();
  await gateway.close();
  console.log(
    `node ${process.version}; the concurrent row compares time for 2 000 calls, so throughput ratio = 1 ÷ ratio`,
  );
  report('bench/client', results, {
    'invokeTool (full client) vs raw undici, sequential': '≤ 1.10',
    'invokeTool 50-way concurrent (2 000 calls)': '≤ 1.18 (throughput ≥ 0.85)',
    [CPU_ROW]: '≤ 12 µs (ours)',
    'invokeTool with telemetry, no provider vs without': '≈ 1.00',
    'same, telemetry without a provider vs without': '≈ 1.00',
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
