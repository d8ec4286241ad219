import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayProtocolError, createGatewayEvent, parseServerInfo, parseServerPage, parseToolPage } from '@sark/core';
import { parseRetryAfter } from '@sark/core/internal';

// Fuzzing of every parser of peer data: whatever arrives, the result is a value or one of the typed errors — never a
// raw TypeError, never a hang — and what comes back is bounded by what came in.
const anyJson = fc.jsonValue({ maxDepth: 6 });
const wireish = fc.oneof(
  anyJson,
  fc.record(
    {
      servers: fc.oneof(
        anyJson,
        fc.array(
          fc.dictionary(
            fc.constantFrom(
              'server_id',
              'server_name',
              'server_url',
              'health_status',
              'tools_count',
              'sensitivity_level',
              'authorized_teams',
              'access_restrictions',
              'created_at',
              '__proto__',
            ),
            anyJson,
          ),
        ),
      ),
      total: anyJson,
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      tools: fc.oneof(
        anyJson,
        fc.array(
          fc.dictionary(
            fc.constantFrom(
              'tool_name',
              'server_name',
              'description',
              'parameters',
              'sensitive_params',
              'required_capabilities',
            ),
            anyJson,
          ),
        ),
      ),
      total: anyJson,
    },
    { requiredKeys: [] },
  ),
);

function onlyTyped(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayProtocolError);
  }
}

describe('fuzzing the parsers of peer data', () => {
  it('REST models: a value or a GatewayProtocolError naming the field', () => {
    fc.assert(
      fc.property(wireish, (raw) => {
        onlyTyped(() => parseServerPage(raw));
        onlyTyped(() => parseToolPage(raw));
        onlyTyped(() => parseServerInfo(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('Retry-After: a delay ≥ 0 or null for any header text, never an exception', () => {
    fc.assert(
      fc.property(
        fc.option(
          fc.oneof(
            fc.string(),
            fc.nat().map(String),
            fc.date({ noInvalidDate: false }).map((d) => String(d)),
          ),
        ),
        (header) => {
          const value = parseRetryAfter(header);
          expect(value === null || (Number.isFinite(value) && value >= 0)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('event data: json() gives the value or a GatewayProtocolError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          anyJson.map((v) => JSON.stringify(v)),
        ),
        (data) => {
          onlyTyped(() => createGatewayEvent({ data }).json());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
