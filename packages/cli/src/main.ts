// `sark`: the program — its commands, options and help. Only commander is loaded here: each command's code (and the
// client, undici, stdio) is a chunk of its own, imported when the command runs, so `sark --help` starts fast.
import { Command, Option } from 'commander';
import { EXIT, exitCodeHelp } from './exit-codes';

type Action = (context: ActionContext) => Promise<void>;
/** What a command's code gets: its arguments, its options and the global ones. */
export interface ActionContext {
  readonly args: readonly unknown[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly command: Command;
}

/** Runs a command's code (loaded now), turning its failure into the documented exit code. */
function lazy(load: () => Promise<{ run: Action }>) {
  return async (...received: unknown[]) => {
    const command = received.at(-1) as Command;
    const context: ActionContext = { args: received.slice(0, -2), options: command.optsWithGlobals(), command };
    const { execute } = await import('./execute');
    process.exitCode = await execute(context, async () => (await load()).run(context));
  };
}

const example = (lines: string) => `\nExample:\n${lines}\n`;

const program = new Command('sark')
  .description('The SARK Gateway client on the command line: look at a gateway, call its tools, check its policy.')
  .version(__SARK_VERSION__, '-V, --version')
  .option('-g, --gateway <url>', 'the gateway (env SARK_GATEWAY_URL)')
  .option('--api-key <key>', 'its API key (env SARK_API_KEY; prefer the environment or `sark login`)')
  .option('--token <token>', 'a bearer token for it (env SARK_TOKEN)')
  .addOption(
    new Option('--dialect <api>', 'its API (env SARK_DIALECT)').choices([
      'sark',
      'mcp-gateway-registry',
      'mcp',
      'auto',
    ]),
  )
  .option('-p, --profile <name>', 'a profile of the config file (env SARK_PROFILE)')
  .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'tsv', 'json', 'yaml']))
  .option('--no-color', 'no colour (also NO_COLOR)')
  .option('-q, --quiet', 'print only the result: no spinner, no notes')
  .option('--timeout <ms>', 'per request, in milliseconds (env SARK_TIMEOUT)')
  .showSuggestionAfterError(true)
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', `\n${exitCodeHelp()}`)
  .exitOverride();

const servers = program.command('servers').description('the gateway’s servers');
servers
  .command('list', { isDefault: true })
  .description('list the servers')
  .option('--search <text>', 'only servers whose name or id contains it')
  .addHelpText('after', example('  sark servers --search every -o json'))
  .action(lazy(() => import('./commands/servers')));
servers
  .command('get <server>')
  .description('one server')
  .addHelpText('after', example('  sark servers get everything'))
  .action(lazy(() => import('./commands/server-get')));

const tools = program.command('tools').description('the gateway’s tools');
tools
  .command('list', { isDefault: true })
  .description('list the tools')
  .option('--server <server>', 'only this server’s tools')
  .addHelpText('after', example('  sark tools --server everything'))
  .action(lazy(() => import('./commands/tools')));
tools
  .command('get <server> <tool>')
  .description('one tool: its signature and input schema')
  .addHelpText('after', example('  sark tools get everything echo'))
  .action(lazy(() => import('./commands/tool-get')));

program
  .command('call <server> <tool> [arguments...]')
  .description('call a tool through the gateway (key=value: JSON where it parses; key:=value: always a string)')
  .option('--json <json>', "the arguments as JSON: '{…}', @file or - (standard input)")
  .option('--user <token>', 'call as this user (their token, or @file): the policy decides for them')
  .addHelpText(
    'after',
    example('  sark call everything get-sum a=2 b=3\n  sark call everything echo message:=42 -o json'),
  )
  .action(lazy(() => import('./commands/call')));

program
  .command('events')
  .description('the gateway’s events')
  .option('--type <type...>', 'only events of these types')
  .option('--server <server>', 'only this server’s events')
  .option('-f, --follow', 'keep following (until Ctrl-C)')
  .option('--count <n>', 'stop after n events', '10')
  .option('--wait <ms>', 'without --follow: stop after this long without an event', '2000')
  .addHelpText('after', example('  sark events --type tool_invoked --follow'))
  .action(lazy(() => import('./commands/events')));

program
  .command('health')
  .description('check the gateway (and the policy, when configured)')
  .addHelpText('after', example('  sark health -o json'))
  .action(lazy(() => import('./commands/health')));
program
  .command('metrics')
  .description('the client’s metrics after a health check and a listing')
  .addHelpText('after', example('  sark metrics -o json | jq .http'))
  .action(lazy(() => import('./commands/metrics')));
program
  .command('whoami')
  .description('who the gateway takes you for (MCP Gateway Registry)')
  .addHelpText('after', example('  sark --dialect auto whoami'))
  .action(lazy(() => import('./commands/whoami')));

const policy = program.command('policy').description('the policy in front of the gateway');
policy
  .command('check <server> <tool> [arguments...]')
  .description('what the policy decides for this user and call — without calling the tool')
  .requiredOption('--user <token>', 'the user’s token, or @file')
  .option('--opa-url <url>', 'ask this OPA (env SARK_OPA_URL); default: SARK’s example policy, in process')
  .option('--opa-path <path>', 'the policy’s decision path at OPA', 'mcp/gateway/allow')
  .option('--json <json>', "the arguments as JSON: '{…}', @file or -")
  .addHelpText('after', example('  sark policy check everything get-env --user @ana.jwt'))
  .action(lazy(() => import('./commands/policy-check')));

const mcp = program.command('mcp').description('an MCP server directly: --stdio "<command>" or --url <url>');
const target = (command: Command) =>
  command
    .option('--stdio <command>', 'start this local server (e.g. "npx -y @modelcontextprotocol/server-everything")')
    .option('--url <url>', 'a remote server over MCP Streamable HTTP');
target(mcp.command('tools').description('its tools'))
  .addHelpText('after', example('  sark mcp tools --url http://localhost:3001/mcp'))
  .action(lazy(() => import('./commands/mcp-tools')));
target(mcp.command('call <tool> [arguments...]').description('call one of its tools, with its progress'))
  .option('--json <json>', "the arguments as JSON: '{…}', @file or -")
  .addHelpText('after', example('  sark mcp call echo message=hi --stdio "node server.js"'))
  .action(lazy(() => import('./commands/mcp-call')));
target(mcp.command('resources').description('its resources'))
  .addHelpText('after', example('  sark mcp resources --url http://localhost:3001/mcp -o json'))
  .action(lazy(() => import('./commands/mcp-resources')));
target(mcp.command('prompts').description('its prompts'))
  .addHelpText('after', example('  sark mcp prompts --stdio "node server.js"'))
  .action(lazy(() => import('./commands/mcp-prompts')));

program
  .command('login [url]')
  .description('sign in (OAuth) to the gateway or an MCP server; tokens are kept in ~/.config/sark/tokens.json')
  .option('--no-browser', 'print the sign-in URL instead of opening a browser')
  .addHelpText('after', example('  sark login https://gateway.example.com'))
  .action(lazy(() => import('./commands/login')));
program
  .command('logout')
  .description('forget every sign-in (the stored tokens and client registrations)')
  .addHelpText('after', example('  sark logout'))
  .action(lazy(() => import('./commands/logout')));

const config = program.command('config').description('the config file ($XDG_CONFIG_HOME/sark/config.json)');
config
  .command('list', { isDefault: true })
  .description('every setting of the profile')
  .addHelpText('after', example('  sark -p prod config list'))
  .action(lazy(() => import('./commands/config-list')));
config
  .command('get <key>')
  .description('one setting')
  .addHelpText('after', example('  sark config get gatewayUrl'))
  .action(lazy(() => import('./commands/config-get')));
config
  .command('set <key> <value>')
  .description("set one (secrets as ${ENV} references: sark config set apiKey '${MY_KEY}')")
  .addHelpText(
    'after',
    example('  sark config set gatewayUrl https://gateway.example.com\n  sark -p prod config set dialect auto'),
  )
  .action(lazy(() => import('./commands/config-set')));

program
  .command('completion <shell>')
  .description('a completion script for bash, zsh or fish')
  .addHelpText('after', example('  sark completion bash >> ~/.bashrc'))
  .action(lazy(() => import('./commands/completion')));

// `sark servers | head -1`: the reader went away; that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // commander's own exits: --help and --version (0), a usage error (already printed).
  const code = (error as { exitCode?: number }).exitCode;
  process.exitCode = code === 0 ? EXIT.ok : EXIT.usage;
}
// The command is done and has closed what it opened; nothing left should keep a person waiting (an idle keep-alive
// socket winding down, a child's last breath). Exit once what was written has been flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit()));

export { program };
