import { expect, inject, it } from 'vitest';
import { RemoteServer } from '@sark/transport-mcp-http';

// Runs in Node and in the edge-runtime environment (fetch only, no Node APIs), against server-everything over HTTP.
it('connects, lists, calls, hears progress and answers a sampling request over fetch', async () => {
  const server = await RemoteServer.connect({
    url: inject('everythingHttpUrl'),
    sampling: async () => ({ role: 'assistant', content: { type: 'text', text: 'from the edge' }, model: 'edge' }),
  });
  try {
    expect(server.sessionId).not.toBeNull();
    expect((await server.listTools()).map((tool) => tool.name)).toContain('trigger-sampling-request');
    expect((await server.callTool('echo', { message: 'edge' })).content).toEqual([
      { type: 'text', text: 'Echo: edge' },
    ]);
    const steps: number[] = [];
    await server.callTool(
      'trigger-long-running-operation',
      { duration: 0.2, steps: 2 },
      {
        onProgress: ({ progress }) => steps.push(progress),
      },
    );
    expect(steps).toEqual([1, 2]);
    const sampled = await server.callTool('trigger-sampling-request', { prompt: 'p', maxTokens: 3 });
    expect(JSON.stringify(sampled.content)).toContain('from the edge');
  } finally {
    await server.close();
  }
});
