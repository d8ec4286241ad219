import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metadataUrls } from '../src/discovery';
import { resourceCovers } from '../src/resource-match';
import { authChallenges } from '../src/www-authenticate';

describe('WWW-Authenticate', () => {
  it('reads resource_metadata, scope and error of a Bearer challenge, quoted or not, among other schemes', () => {
    expect(
      authChallenges(
        'Basic realm="x", Bearer error="insufficient_scope", scope="a b", ' +
          'resource_metadata="https://rs.example/.well-known/oauth-protected-resource/mcp", ' +
          'DPoP algs="ES256", error=use_dpop_nonce',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        resourceMetadata: 'https://rs.example/.well-known/oauth-protected-resource/mcp',
        scope: 'a b',
        error: 'insufficient_scope',
      },
      { scheme: 'dpop', resourceMetadata: null, scope: null, error: 'use_dpop_nonce' },
    ]);
    expect(authChallenges('bearer scope="quoted \\"inner\\" text"')[0]?.scope).toBe('quoted "inner" text');
    expect(authChallenges(null)).toEqual([]);
    expect(authChallenges('Basic realm="only basic"')).toEqual([]);
  });

  it('any header at all: an array of at most 16 challenges, never a throw, read in bounded time', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20_000 }), (header) => {
        const challenges = authChallenges(header);
        expect(challenges.length).toBeLessThanOrEqual(16);
      }),
      { numRuns: 300 },
    );
    const huge = `Bearer ${'x="y", '.repeat(200_000)}`;
    expect(authChallenges(huge)).toHaveLength(1);
  });
});

describe('resource coverage (a token goes only where it was issued for)', () => {
  it('same origin, and the path at or under the resource path, segment by segment', () => {
    const url = (href: string) => new URL(href);
    expect(resourceCovers('https://rs.example/mcp', url('https://rs.example/mcp'))).toBe(true);
    expect(resourceCovers('https://rs.example/mcp', url('https://rs.example/mcp/sub'))).toBe(true);
    expect(resourceCovers('https://rs.example', url('https://rs.example/anything'))).toBe(true);
    expect(resourceCovers('https://rs.example/mcp', url('https://rs.example/mcpx'))).toBe(false);
    expect(resourceCovers('https://rs.example/mcp', url('https://rs.example/other'))).toBe(false);
    expect(resourceCovers('https://rs.example/mcp', url('http://rs.example/mcp'))).toBe(false);
    expect(resourceCovers('https://rs.example/mcp', url('https://rs.example:8443/mcp'))).toBe(false);
    expect(resourceCovers('https://rs.example/mcp', url('https://evil.example/mcp'))).toBe(false);
    expect(resourceCovers('not a url', url('https://rs.example/mcp'))).toBe(false);
  });
});

describe('authorization server metadata URLs', () => {
  it('in the MCP spec’s order: RFC 8414, then OpenID path-inserted, then path-appended', () => {
    expect(metadataUrls(new URL('https://as.example'))).toEqual([
      'https://as.example/.well-known/oauth-authorization-server',
      'https://as.example/.well-known/openid-configuration',
    ]);
    expect(metadataUrls(new URL('https://as.example/tenant1/'))).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/tenant1',
      'https://as.example/.well-known/openid-configuration/tenant1',
      'https://as.example/tenant1/.well-known/openid-configuration',
    ]);
  });
});
