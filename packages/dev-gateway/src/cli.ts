import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DevGatewayConfigError } from './config';
import { startDevGateway } from './start';

const HELP = `sark-dev-gateway — a local SARK gateway in front of real MCP servers

Usage:
  sark-dev-gateway --config gateway.config.json [--port 8080] [--host 127.0.0.1] [--cors-origin <origin>] [--oauth]
                   [--dialect sark|mcp-gateway-registry]

Options:
  -c, --config <file>  JSON config: {"servers": [{"name", "command", "args"?, "cwd"?, "env"?,
                       "sensitivity_level"?, "authorized_teams"?, "access_restrictions"?}], "apiKey"?,
                       "syntheticServers"?, "faults"?}
  -p, --port <port>    port to listen on (default 8080; 0 = any free port)
      --host <host>    address to bind (default 127.0.0.1)
      --cors-origin <origin>
                       let browser pages on this origin call the gateway ("*": any); repeatable,
                       added to the config's "corsOrigins"
      --oauth          OAuth mode: an authorization server beside the gateway (approves every sign-in as
                       "developer"); /mcp/{server} takes its tokens, the REST API the API key or a token
                       (the config's "oauth": true)
      --dialect <api>  the API to serve: "sark" (default) or "mcp-gateway-registry" (the MCP Gateway
                       Registry's /api/* catalog and /{server}/mcp; the config's "dialect")
  -h, --help           show this help
`;

async function main(): Promise<number> {
  let values: {
    config?: string;
    port?: string;
    host?: string;
    'cors-origin'?: string[];
    oauth?: boolean;
    dialect?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        oauth: { type: 'boolean' },
        dialect: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.config) {
    process.stderr.write(`error: --config is required\n\n${HELP}`);
    return 2;
  }
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`error: --port must be a port number, not "${values.port}"\n`);
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.config, 'utf8'));
  } catch (error) {
    process.stderr.write(`error: cannot read config ${values.config}: ${(error as Error).message}\n`);
    return 1;
  }
  const extraOrigins = values['cors-origin'] ?? [];
  if (extraOrigins.length > 0 && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const configured = (raw as { corsOrigins?: unknown }).corsOrigins;
    raw = { ...raw, corsOrigins: [...(Array.isArray(configured) ? configured : []), ...extraOrigins] };
  }
  if (values.oauth && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const configured = (raw as { oauth?: unknown }).oauth;
    raw = { ...raw, oauth: configured === undefined || configured === false ? true : configured };
  }
  if (values.dialect !== undefined && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    raw = { ...raw, dialect: values.dialect };
  }
  try {
    const gateway = await startDevGateway({
      config: raw,
      port,
      host: values.host ?? '127.0.0.1',
      onServerStarted: (name, ok, detail) => process.stdout.write(`${ok ? '✓' : '✗'} ${name}: ${detail}\n`),
    });
    process.stdout.write(`sark-dev-gateway listening on ${gateway.url}\n`);
    if (gateway.issuer !== null) process.stdout.write(`OAuth authorization server at ${gateway.issuer}\n`);
    const stop = (): void => {
      void gateway.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  } catch (error) {
    const prefix = error instanceof DevGatewayConfigError ? `invalid config ${values.config}` : 'error';
    process.stderr.write(`${prefix}: ${(error as Error).message}\n`);
    return 1;
  }
}

void main().then((code) => {
  if (code >= 0) process.exit(code);
});
