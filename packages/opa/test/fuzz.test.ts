import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayProtocolError } from '@sark/core';
import { decisionFromOpa, decodeJwtClaims } from '@sark/opa';

describe('fuzzing the parsers of OPA answers and tokens', () => {
  it('an OPA body: a frozen decision or a GatewayProtocolError; an allow only from a literal true', () => {
    const result = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        {
          allow: fc.jsonValue({ maxDepth: 1 }),
          reason: fc.jsonValue({ maxDepth: 1 }),
          filtered_parameters: fc.jsonValue({ maxDepth: 3 }),
          cache_ttl: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }),
          fc.record({ result, decision_id: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
        ),
        (body) => {
          try {
            const decision = decisionFromOpa(body);
            expect(Object.isFrozen(decision)).toBe(true);
            const raw = (body as { result?: unknown } | null)?.result;
            if (decision.allow) expect(raw === true || (raw as { allow?: unknown } | null)?.allow === true).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(GatewayProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('JWT claims: an object for any text, never an exception', () => {
    const segment = fc.oneof(
      fc.string(),
      fc.base64String(),
      fc.jsonValue().map((v) => btoa(unescape(encodeURIComponent(JSON.stringify(v))))),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
        ),
        (token) => {
          const claims = decodeJwtClaims(token);
          expect(typeof claims === 'object' && claims !== null && !Array.isArray(claims)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
