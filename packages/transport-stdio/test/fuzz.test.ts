import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@sark/core';
import { JsonRpcPeer } from '@sark/mcp';
import { LineSplitter } from '../src/line-splitter';

describe('fuzzing JSON-RPC framing', () => {
  it('any bytes, cut anywhere: lines come out whole, oversized ones are dropped and counted, nothing throws', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 300 }),
        (bytes, cuts, limit) => {
          const lines: Buffer[] = [];
          let oversized = 0;
          const splitter = new LineSplitter(limit, {
            onLine: (line) => lines.push(Buffer.from(line)),
            onOversized: () => oversized++,
          });
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          let start = 0;
          for (const point of [...points, bytes.length]) {
            splitter.push(Buffer.from(bytes.subarray(start, point)));
            start = point;
          }
          const expected = Buffer.from(bytes).toString('latin1').split('\n').slice(0, -1);
          expect(lines.length + oversized).toBe(expected.length);
          for (const line of lines) expect(line.length).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any line from the server: skipped, answered or settled — the peer never throws and nothing grows', async () => {
    const message = fc.oneof(
      fc.string(),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            jsonrpc: fc.constantFrom('2.0', '1.0'),
            id: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string({ maxLength: 3 }), fc.constant(null)),
            method: fc.option(fc.string({ maxLength: 20 })),
            result: fc.jsonValue({ maxDepth: 2 }),
            error: fc.jsonValue({ maxDepth: 2 }),
            params: fc.jsonValue({ maxDepth: 2 }),
          },
          { requiredKeys: ['jsonrpc'] },
        )
        .map((m) => JSON.stringify(m)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { maxLength: 30 }), async (lines) => {
        const written: string[] = [];
        const peer = new JsonRpcPeer((line) => written.push(line), { requestTimeoutMs: 60_000, logger: silentLogger });
        const pending = Array.from({ length: 3 }, (_, i) => peer.request('m', { i }).catch((e: unknown) => e));
        for (const line of lines) peer.receive(line);
        expect(written.length).toBeLessThanOrEqual(3 + lines.length);
        expect(peer.getMetrics().pending).toBeLessThanOrEqual(3);
        peer.close();
        await Promise.all(pending);
        expect(peer.getMetrics().pending).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
