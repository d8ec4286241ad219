import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GatewayProtocolError,
  createGatewayEvent,
  parseServerInfo,
  parseServerPage,
  parseToolInfo,
  parseToolPage,
} from '@sark/core';
import { parseJson } from '@sark/core/internal';

const wireServer = {
  server_id: 'srv-1',
  server_name: 'postgres-mcp',
  server_url: 'http://pg:9000',
  sensitivity_level: 'high',
  authorized_teams: ['data', 'ops'],
  access_restrictions: { region: 'eu' },
  health_status: 'healthy',
  tools_count: 3,
  created_at: '2026-01-02T03:04:05.000Z',
  updated_at: null,
};

const wireTool = {
  tool_name: 'execute_query',
  server_name: 'postgres-mcp',
  description: 'Runs SQL',
  sensitivity_level: 'critical',
  parameters: [{ name: 'query', type: 'string', required: true, description: 'SQL text' }, { name: 'limit' }],
  sensitive_params: ['query'],
  required_capabilities: ['db:read'],
};

function protocolError(fn: () => unknown): GatewayProtocolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayProtocolError);
    return error as GatewayProtocolError;
  }
  throw new Error('expected a GatewayProtocolError');
}

describe('parseServerInfo', () => {
  it('maps every wire field to its camelCase model field', () => {
    expect(parseServerInfo(wireServer)).toEqual({
      serverId: 'srv-1',
      serverName: 'postgres-mcp',
      serverUrl: 'http://pg:9000',
      sensitivityLevel: 'high',
      authorizedTeams: ['data', 'ops'],
      accessRestrictions: { region: 'eu' },
      healthStatus: 'healthy',
      toolsCount: 3,
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      updatedAt: null,
    });
  });

  it('applies the documented defaults and ignores unknown fields', () => {
    const server = parseServerInfo({
      server_id: 'a',
      server_name: 'b',
      server_url: 'c',
      health_status: 'x',
      tools_count: 0,
      extra: 1,
    });
    expect(server.sensitivityLevel).toBe('medium');
    expect(server.authorizedTeams).toEqual([]);
    expect(server.accessRestrictions).toBeNull();
    expect(server.createdAt).toBeNull();
    expect(server.updatedAt).toBeNull();
    expect(server).not.toHaveProperty('extra');
  });

  it('returns frozen models', () => {
    const server = parseServerInfo(wireServer);
    expect(Object.isFrozen(server)).toBe(true);
    expect(Object.isFrozen(server.authorizedTeams)).toBe(true);
    expect(Object.isFrozen(server.accessRestrictions)).toBe(true);
  });

  it.each(['server_id', 'server_name', 'server_url', 'health_status', 'tools_count'])(
    'names the missing required field %s',
    (field) => {
      const { [field]: _removed, ...rest } = wireServer as Record<string, unknown>;
      const error = protocolError(() => parseServerInfo(rest));
      expect(error.field).toBe(`server.${field}`);
      expect(error.message).toMatch(new RegExp(`^server\\.${field}: expected`));
    },
  );

  it.each([
    ['tools_count', -1, 'a non-negative integer'],
    ['tools_count', 1.5, 'a non-negative integer'],
    ['tools_count', '3', 'a non-negative integer'],
    ['server_id', 7, 'a string'],
    ['sensitivity_level', 'extreme', 'one of low|medium|high|critical'],
    ['authorized_teams', 'ops', 'an array of strings'],
    ['access_restrictions', [], 'an object or null'],
    ['created_at', 'yesterday', 'an ISO-8601 date string or null'],
    ['updated_at', 12, 'an ISO-8601 date string or null'],
  ])('rejects %s = %j', (field, value, expected) => {
    const error = protocolError(() => parseServerInfo({ ...wireServer, [field]: value }));
    expect(error.message).toBe(`server.${field}: ${`expected ${expected}`}`);
    expect(error.code).toBe('ERR_PROTOCOL');
  });

  it('names the index of a bad team', () => {
    expect(protocolError(() => parseServerInfo({ ...wireServer, authorized_teams: ['a', 3] })).field).toBe(
      'server.authorized_teams[1]',
    );
  });

  it('rejects a non-object', () => {
    expect(protocolError(() => parseServerInfo([])).message).toBe('server: expected an object');
  });
});

describe('parseToolInfo', () => {
  it('maps fields and parameters with their defaults', () => {
    expect(parseToolInfo(wireTool)).toEqual({
      toolName: 'execute_query',
      serverName: 'postgres-mcp',
      description: 'Runs SQL',
      sensitivityLevel: 'critical',
      parameters: [
        { name: 'query', type: 'string', required: true, description: 'SQL text' },
        { name: 'limit', type: 'string', required: false },
      ],
      sensitiveParams: ['query'],
      requiredCapabilities: ['db:read'],
    });
  });

  it('applies defaults', () => {
    const tool = parseToolInfo({ tool_name: 't', server_name: 's', description: 'd' });
    expect(tool).toMatchObject({
      sensitivityLevel: 'medium',
      parameters: [],
      sensitiveParams: [],
      requiredCapabilities: [],
    });
  });

  it.each(['tool_name', 'server_name', 'description'])('names the missing required field %s', (field) => {
    const { [field]: _removed, ...rest } = wireTool as Record<string, unknown>;
    expect(protocolError(() => parseToolInfo(rest)).field).toBe(`tool.${field}`);
  });

  it('names the index and field of a bad parameter', () => {
    const error = protocolError(() =>
      parseToolInfo({ ...wireTool, parameters: [{ name: 'a' }, { name: 'b', required: 'yes' }] }),
    );
    expect(error.message).toBe('tool.parameters[1].required: expected a boolean');
  });
});

describe('pages', () => {
  it('names the index of the first bad element', () => {
    const servers = Array.from({ length: 5 }, (_, i) => ({ ...wireServer, server_id: `s${i}` }));
    servers[3] = { ...wireServer, tools_count: -2 };
    const error = protocolError(() => parseServerPage({ servers }));
    expect(error.message).toBe('servers[3].tools_count: expected a non-negative integer');
    expect(error.field).toBe('servers[3].tools_count');
  });

  it('treats a missing array as empty and reads total', () => {
    expect(parseServerPage({})).toEqual({ items: [], total: null });
    expect(parseToolPage({ tools: [wireTool], total: 7, next: 'ignored' })).toMatchObject({
      total: 7,
      items: [{ toolName: 'execute_query' }],
    });
  });

  it('rejects a bad total and a non-array list', () => {
    expect(protocolError(() => parseToolPage({ tools: [], total: -1 })).field).toBe('total');
    expect(protocolError(() => parseServerPage({ servers: {} })).message).toBe('servers: expected an array');
    expect(protocolError(() => parseServerPage('nope')).message).toBe('response: expected an object');
  });

  it('parseJson wraps syntax errors', () => {
    expect(parseJson('{"a":1}', 'x')).toEqual({ a: 1 });
    const error = protocolError(() => parseJson('{"a":', 'GET /api/v1/servers'));
    expect(error.message).toBe('GET /api/v1/servers: body is not valid JSON');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    // A web UI's page where JSON was expected says so.
    const html = protocolError(() => parseJson('\n <!doctype html><html>', 'GET /api/v1/servers'));
    expect(html.message).toBe(
      'GET /api/v1/servers: the answer is an HTML page, not JSON (another API lives at this URL)',
    );
  });
});

describe('GatewayEvent', () => {
  it('parses JSON data and reports bad JSON as a protocol error', () => {
    const event = createGatewayEvent({ eventType: 'tool_invoked', data: '{"tool":"echo"}', eventId: '4' });
    expect(event).toMatchObject({ eventType: 'tool_invoked', eventId: '4', retryMs: null });
    expect(event.json()).toEqual({ tool: 'echo' });
    expect(protocolError(() => createGatewayEvent({ data: 'not json' }).json()).message).toBe(
      'event "message": data is not valid JSON',
    );
  });
});

describe('round trip (property)', () => {
  const isoDate = fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true });
  const level = fc.constantFrom('low', 'medium', 'high', 'critical');
  const serverArb = fc.record(
    {
      server_id: fc.string(),
      server_name: fc.string(),
      server_url: fc.string(),
      sensitivity_level: level,
      authorized_teams: fc.array(fc.string()),
      access_restrictions: fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: null }),
      health_status: fc.string(),
      tools_count: fc.nat(),
      created_at: fc.option(isoDate, { nil: null }),
      updated_at: fc.option(isoDate, { nil: null }),
      unknown_extra: fc.jsonValue(),
    },
    { requiredKeys: ['server_id', 'server_name', 'server_url', 'health_status', 'tools_count'] },
  );

  it('any valid ServerInfo wire object becomes the documented model', () => {
    fc.assert(
      fc.property(serverArb, (raw) => {
        const wire = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
        const model = parseServerInfo(wire);
        expect(model.serverId).toBe(raw.server_id);
        expect(model.serverName).toBe(raw.server_name);
        expect(model.serverUrl).toBe(raw.server_url);
        expect(model.sensitivityLevel).toBe(raw.sensitivity_level ?? 'medium');
        expect(model.authorizedTeams).toEqual(raw.authorized_teams ?? []);
        expect(model.accessRestrictions).toEqual(wire['access_restrictions'] ?? null);
        expect(model.healthStatus).toBe(raw.health_status);
        expect(model.toolsCount).toBe(raw.tools_count);
        expect(model.createdAt?.getTime() ?? null).toBe(raw.created_at ? raw.created_at.getTime() : null);
        expect(model.updatedAt?.getTime() ?? null).toBe(raw.updated_at ? raw.updated_at.getTime() : null);
      }),
    );
  });

  it('any valid ToolInfo wire object becomes the documented model', () => {
    const param = fc.record(
      { name: fc.string(), type: fc.string(), required: fc.boolean(), description: fc.string() },
      { requiredKeys: ['name'] },
    );
    const toolArb = fc.record(
      {
        tool_name: fc.string(),
        server_name: fc.string(),
        description: fc.string(),
        sensitivity_level: level,
        parameters: fc.array(param),
        sensitive_params: fc.array(fc.string()),
        required_capabilities: fc.array(fc.string()),
      },
      { requiredKeys: ['tool_name', 'server_name', 'description'] },
    );
    fc.assert(
      fc.property(toolArb, (raw) => {
        const model = parseToolInfo(raw);
        expect(model.toolName).toBe(raw.tool_name);
        expect(model.sensitivityLevel).toBe(raw.sensitivity_level ?? 'medium');
        expect(model.parameters).toEqual(
          (raw.parameters ?? []).map((p) => ({
            name: p.name,
            type: p.type ?? 'string',
            required: p.required ?? false,
            ...(p.description === undefined ? {} : { description: p.description }),
          })),
        );
        expect(model.sensitiveParams).toEqual(raw.sensitive_params ?? []);
        expect(model.requiredCapabilities).toEqual(raw.required_capabilities ?? []);
      }),
    );
  });
});

describe('parseRetryAfter', async () => {
  const { parseRetryAfter } = await import('@sark/core/internal');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('-1')).toBeNull();
  });
});
