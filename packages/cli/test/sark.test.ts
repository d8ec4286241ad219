import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevGateway, type DevGateway } from '@sark/dev-gateway';
import { hostileServer, sendJson } from '@sark/test-support/hostile-server';
import { standInBrowserDir } from '@sark/test-support/stand-in-browser';

// The real bin (`node packages/cli/bin/sark.js`, built) spawned as a user runs it — piped, so tab-separated output
// without colour or spinner — against dev gateways in front of server-everything: every command, every exit code.
const require = createRequire(import.meta.url);
const bin = fileURLToPath(new URL('../bin/sark.js', import.meta.url));
const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
const everythingEntry = join(
  dirname(manifestPath),
  Object.values((require(manifestPath) as { bin: Record<string, string> }).bin)[0] as string,
);
const everything = { name: 'everything', command: process.execPath, args: [everythingEntry, 'stdio'] };
const KEY = 'cli-test-key-7f3a';

let gateway: DevGateway;
let registry: DevGateway;
let oauth: DevGateway;
let home: string;
beforeAll(async () => {
  [gateway, registry, oauth] = await Promise.all([
    startDevGateway({ config: { apiKey: KEY, syntheticServers: 1, servers: [everything] } }),
    startDevGateway({ config: { apiKey: KEY, dialect: 'mcp-gateway-registry', servers: [everything] } }),
    startDevGateway({ config: { oauth: true, servers: [everything] } }),
  ]);
  home = mkdtempSync(join(tmpdir(), 'sark-cli-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([gateway?.close(), registry?.close(), oauth?.close()]);
  rmSync(home, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sark args…` with a config home of its own and the gateway in the environment (unless `env` says else). */
function sark(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env['PATH'],
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        SARK_GATEWAY_URL: gateway.url,
        SARK_API_KEY: KEY,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const token = (claims: Record<string, unknown>) =>
  [{ alg: 'none' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.';
const ANSI = /\x1b\[/;

describe.concurrent('sark against the dev gateway', () => {
  it('--help lists the commands and exit codes (exit 0); a typo gets a suggestion (exit 2)', async () => {
    const help = await sark(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('6  denied by policy');
    const typo = await sark(['srevers']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean servers?');
    expect((await sark(['servers', '-o', 'xml'])).code).toBe(2);
  });

  it('servers and tools: tab-separated when piped (no colour), JSON and YAML when asked', async () => {
    const piped = await sark(['servers']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.split('\n')).toContain('everything\tsrv-everything\thealthy\t13\tmedium');
    expect(piped.stdout).not.toMatch(ANSI);
    expect(piped.stderr).toBe('');
    const json = JSON.parse((await sark(['servers', '--search', 'every', '-o', 'json'])).stdout) as unknown[];
    expect(json).toEqual([expect.objectContaining({ name: 'everything', tools: 13 })]);
    expect((await sark(['servers', 'get', 'everything', '-o', 'yaml'])).stdout).toContain('name: everything');
    const tools = await sark(['tools', '--server', 'everything']);
    expect(tools.stdout).toContain('everything\techo(message: string)\tEchoes back the input string');
    const tool = await sark(['tools', 'get', 'everything', 'get-annotated-message']);
    expect(tool.stdout).toContain('signature\tget-annotated-message(messageType: string, [includeImage: boolean])');
    const missing = await sark(['servers', 'get', 'nobody']);
    expect(missing.code).toBe(5);
  });

  it('call: key=value keeps JSON types, key:=value a string, --json from an argument or standard input', async () => {
    const sum = await sark(['call', 'everything', 'get-sum', 'a=2', 'b=40']);
    expect(sum).toMatchObject({ code: 0, stdout: 'The sum of 2 and 40 is 42.\n' });
    expect((await sark(['call', 'everything', 'echo', 'message:=42'])).stdout).toBe('Echo: 42\n');
    const fromStdin = await sark(['call', 'everything', 'echo', '--json', '-', '-o', 'json'], {}, '{"message":"in"}');
    expect(JSON.parse(fromStdin.stdout)).toEqual({ content: [{ type: 'text', text: 'Echo: in' }] });
    const unknown = await sark(['call', 'everything', 'nope']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('Unknown tool: everything/nope');
    expect((await sark(['call', 'everything', 'echo', 'not-a-pair'])).code).toBe(2);
  });

  it('the policy: `policy check` decides without calling; `call` under it is denied with exit 6', async () => {
    const admin = token({ sub: 'root', roles: ['admin'] });
    const analyst = token({ sub: 'ana', roles: ['analyst'] });
    const allowed = await sark(['policy', 'check', 'everything', 'get-env', '--user', admin, '-o', 'json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({
      decision: 'allow',
      reason: 'Allowed: admin may invoke any tool',
    });
    const denied = await sark(['policy', 'check', 'everything', 'get-env', '--user', analyst]);
    expect(denied.code).toBe(6);
    expect(denied.stdout).toContain('decision\tdeny');
    const before = gateway.executed.get('everything/get-env') ?? 0;
    const call = await sark(['call', 'everything', 'get-env', '--user', analyst], { SARK_OPA_URL: 'example' });
    expect(call.code).toBe(6);
    expect(call.stderr).toContain('Permission denied');
    expect(gateway.executed.get('everything/get-env') ?? 0).toBe(before);
  });

  it('exit 3 for a refused key, 4 for an unreachable gateway; with -o json the error is one JSON line', async () => {
    const refused = await sark(['servers', '-o', 'json'], { SARK_API_KEY: 'wrong-key-canary-1234' });
    expect(refused.code).toBe(3);
    const error = JSON.parse(refused.stderr) as { error: { exitCode: number; message: string } };
    expect(error.error.exitCode).toBe(3);
    expect(refused.stderr).not.toContain('wrong-key-canary-1234');
    const down = await sark(['servers', '--gateway', 'http://127.0.0.1:9', '--timeout', '2000']);
    expect(down.code).toBe(4);
    expect((await sark(['health'], { SARK_GATEWAY_URL: 'http://127.0.0.1:9' })).code).toBe(4);
    const health = await sark(['health', '-o', 'json']);
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ status: 'healthy' });
    expect(JSON.parse((await sark(['metrics', '-o', 'json'])).stdout)).toMatchObject({ transportMode: 'auto' });
  });

  it('a secret in a parameter is never printed', async () => {
    // The synthetic server answers with the parameters it got: the password comes back, and is redacted on the way.
    const run = await sark(['call', 'synthetic-00000', 'tool_0', 'value=v', 'password=hunter2-canary-secret']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"value":"v"');
    expect(run.stdout + run.stderr).not.toContain('hunter2-canary-secret');
  });

  it('events: one JSON line per event (here the tool_invoked of a call made meanwhile)', async () => {
    const events = sark(['events', '--type', 'tool_invoked', '--count', '1', '--wait', '10000', '-o', 'json']);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await sark(['call', 'everything', 'echo', 'message=seen']);
    const run = await events;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ type: 'tool_invoked', data: { tool_name: 'echo' } });
  });

  it('the registry dialect, and whoami', async () => {
    const env = { SARK_GATEWAY_URL: registry.url, SARK_DIALECT: 'auto' };
    expect((await sark(['servers'], env)).stdout).toContain('everything\t/everything\thealthy\t13');
    expect((await sark(['call', '/everything', 'echo', 'message=registry'], env)).stdout).toBe('Echo: registry\n');
    expect((await sark(['whoami', '-o', 'json'], env)).stdout).toContain('"username": "api-key"');
    expect((await sark(['whoami'])).code).toBe(1); // the SARK API has no whoami
  });

  it('mcp: a local server over stdio and a remote one over Streamable HTTP, directly', async () => {
    const stdio = ['--stdio', `"${process.execPath}" "${everythingEntry}" stdio`];
    const tools = await sark(['mcp', 'tools', ...stdio]);
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain('echo(message: string)\tEchoes back the input string');
    const call = await sark(['mcp', 'call', 'get-sum', 'a=1', 'b=2', ...stdio]);
    expect(call.stdout).toBe('The sum of 1 and 2 is 3.\n');
    const remote = await sark(['mcp', 'call', 'echo', 'message=remote', '--url', `${gateway.url}/mcp/everything`]);
    expect(remote.stdout).toBe('Echo: remote\n');
    const url = ['--url', `${gateway.url}/mcp/everything`];
    expect((await sark(['mcp', 'prompts', ...url])).stdout).toContain('simple-prompt');
    expect((await sark(['mcp', 'resources', ...url])).stdout).toMatch(/^demo:\/\/resource\/\S+\t\S+\ttext\//m);
    expect((await sark(['mcp', 'tools'])).code).toBe(2);
    // Another server never gets the gateway's key or token.
    const elsewhere = await hostileServer((_request, res) => sendJson(res, 401, { error: 'who are you' }));
    try {
      const run = await sark(['mcp', 'tools', '--url', `${elsewhere.url}/mcp`], { SARK_TOKEN: 'gateway-token-canary' });
      expect(run.code).toBe(3);
      expect(elsewhere.requests.length).toBeGreaterThan(0);
      for (const request of elsewhere.requests) {
        expect(request.headers['x-api-key']).toBeUndefined();
        expect(request.headers['authorization']).toBeUndefined();
      }
    } finally {
      await elsewhere.close();
    }
  });

  it('on a terminal (a pseudo-terminal from `script`): a table, a bold header, the spinner on stderr', async () => {
    const terminal = (args: string, env: Record<string, string>) =>
      new Promise<Run>((resolve, reject) => {
        const command = `stty cols 120 rows 30; "${process.execPath}" "${bin}" ${args}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          env: { PATH: process.env['PATH'], HOME: home, TERM: 'xterm', SARK_API_KEY: KEY, ...env },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
      });
    const run = await terminal('servers', { SARK_GATEWAY_URL: gateway.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('listing servers…'); // the spinner's text
    expect(run.stdout).toContain('\x1b[?25h'); // and the cursor shown again when it stopped
    expect(run.stdout).toMatch(/\x1b\[1mname\x1b\[22m/); // picocolors' bold header
    expect(run.stdout).toMatch(/everything +srv-everything +healthy +13/);
    // A long call through the registry: the server's progress in the spinner while it works.
    const long = await terminal('call /everything trigger-long-running-operation duration=1 steps=3', {
      SARK_GATEWAY_URL: registry.url,
      SARK_DIALECT: 'mcp-gateway-registry',
    });
    expect(long.code).toBe(0);
    expect(long.stdout).toContain('trigger-long-running-operation: 2/3');
  });

  it('completion scripts for bash, zsh and fish', async () => {
    expect((await sark(['completion', 'bash'])).stdout).toContain('complete -F _sark sark');
    expect((await sark(['completion', 'fish'])).stdout).toContain(
      "complete -c sark -n '__fish_use_subcommand' -a call",
    );
    expect((await sark(['completion', 'powershell'])).code).toBe(2);
  });
});

describe('configuration: flags > environment > profile', () => {
  it('profiles in the config file, ${ENV} references for secrets, and what overrides what', async () => {
    const env = { SARK_GATEWAY_URL: undefined, SARK_API_KEY: undefined, XDG_CONFIG_HOME: join(home, 'profiles') };
    expect((await sark(['config', 'set', 'gatewayUrl', gateway.url], env)).code).toBe(0);
    const literal = await sark(['config', 'set', 'apiKey', KEY], env);
    expect(literal.code).toBe(2);
    expect(literal.stderr).not.toContain(KEY);
    expect((await sark(['config', 'set', 'apiKey', '${TEST_SARK_KEY}'], env)).code).toBe(0);
    expect(statSync(join(home, 'profiles', 'sark', 'config.json')).mode & 0o777).toBe(0o600);
    expect((await sark(['servers'], { ...env, TEST_SARK_KEY: KEY })).stdout).toContain('everything');
    // The reference names a variable that is not set: said so, exit 2 (and `config get` shows the reference).
    expect((await sark(['servers'], env)).code).toBe(2);
    expect((await sark(['config', 'get', 'apiKey'], env)).stdout).toBe('${TEST_SARK_KEY}\n');
    // The environment beats the file; a flag beats the environment.
    const envWins = await sark(['servers'], { ...env, TEST_SARK_KEY: KEY, SARK_GATEWAY_URL: 'http://127.0.0.1:9' });
    expect(envWins.code).toBe(4);
    const flagWins = await sark(['servers', '--gateway', gateway.url], {
      ...env,
      TEST_SARK_KEY: KEY,
      SARK_GATEWAY_URL: 'http://127.0.0.1:9',
    });
    expect(flagWins.code).toBe(0);
    expect((await sark(['-p', 'prod', 'config', 'set', 'dialect', 'auto'], env)).code).toBe(0);
    expect((await sark(['-p', 'prod', 'config', 'list'], env)).stdout).toBe('dialect\tauto\n');
  });
});

describe('login', () => {
  it('signs in through the browser (OAuth, PKCE); later commands use the stored token; logout forgets it', async () => {
    const env = {
      SARK_GATEWAY_URL: oauth.url,
      SARK_API_KEY: undefined,
      XDG_CONFIG_HOME: join(home, 'login'),
      PATH: `${standInBrowserDir}:${process.env['PATH'] ?? ''}`,
    };
    expect((await sark(['servers'], env)).code).toBe(3);
    const login = await sark(['login'], env);
    expect(login.stderr).toContain(`signed in to ${oauth.url}`);
    expect(login.code).toBe(0);
    const tokens = join(home, 'login', 'sark', 'tokens.json');
    expect(statSync(tokens).mode & 0o777).toBe(0o600);
    const servers = await sark(['servers'], env);
    expect(servers).toMatchObject({ code: 0 });
    expect(servers.stdout).toContain('everything');
    // The event stream takes the same token (a gateway that takes OAuth only).
    expect(await sark(['events', '--wait', '300'], env)).toMatchObject({ code: 0, stderr: '' });
    expect((await sark(['logout'], env)).code).toBe(0);
    expect((await sark(['servers'], env)).code).toBe(3);
  });
});
