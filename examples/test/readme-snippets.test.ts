import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEY, startDemoGateway } from '../src/dev-setup';
import { transformSync } from 'esbuild';
import { runNode } from './run-tsx';
import { standInBrowserDir } from '@sark/test-support/stand-in-browser';

// Every ```ts and ```js block of every README runs as written — saved as a module beside the examples (so it imports
// the @sark packages as an app does: their built entries; a ts block with its types stripped by esbuild, as tsx
// would, without tsx's start-up in each of the twenty processes) and run against a dev gateway with the real MCP
// servers, given as SARK_GATEWAY_URL and SARK_API_KEY — and a second one in OAuth mode (SARK_OAUTH_GATEWAY_URL, with
// a machine client registered at its authorization server: SARK_CLIENT_ID, SARK_CLIENT_SECRET). Each must exit 0.
// The command-line sign-in opens the browser with xdg-open: a stand-in on PATH plays the person (it follows the
// redirects; the dev gateway's authorization server approves at once). (```sh blocks are install commands: the CI
// consumer stage installs the packages from their tarballs.)
const repo = fileURLToPath(new URL('../..', import.meta.url));
const scratch = fileURLToPath(new URL('../.readme-snippets/', import.meta.url));

function snippets(): { name: string; lang: string; code: string }[] {
  const readmes = ['README.md', ...readdirSync(join(repo, 'packages')).map((dir) => `packages/${dir}/README.md`)];
  return readmes.flatMap((readme) => {
    let text: string;
    try {
      text = readFileSync(join(repo, readme), 'utf8');
    } catch {
      return [];
    }
    const blocks = [...text.matchAll(/^```(ts|js)\n([\s\S]*?)^```$/gm)];
    return blocks.map((block, index) => ({
      name: `${readme} #${index + 1}`,
      lang: block[1] as string,
      code: block[2] as string,
    }));
  });
}

let gateway: Awaited<ReturnType<typeof startDemoGateway>>;
let oauthGateway: Awaited<ReturnType<typeof startDemoGateway>>;
let machineClient: { client_id: string; client_secret: string };
beforeAll(async () => {
  [gateway, oauthGateway] = await Promise.all([
    startDemoGateway(),
    startDemoGateway({ oauth: true, everythingOnly: true }),
  ]);
  const registration = await fetch(`${oauthGateway.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'mcp:tools',
    }),
  });
  machineClient = (await registration.json()) as typeof machineClient;
  mkdirSync(scratch, { recursive: true });
}, 60_000);
afterAll(async () => {
  await Promise.all([gateway?.dispose(), oauthGateway?.dispose()]);
  rmSync(scratch, { recursive: true, force: true });
});

describe('README code blocks run as written', () => {
  const all = snippets();
  it('there are blocks to run', () => expect(all.length).toBeGreaterThan(10));

  // Run here with SARK_GATEWAY_URL set, a block would still fail for a reader who has not set it unless it falls
  // back to the dev gateway's address, as the quick start does.
  it('every block that reads SARK_GATEWAY_URL from process.env falls back to the same address', () => {
    const reads = all.flatMap((snippet) =>
      [...snippet.code.matchAll(/process\.env\.SARK_GATEWAY_URL(?! \?\? 'http:\/\/localhost:8080')/g)].map(
        () => snippet.name,
      ),
    );
    expect(reads).toEqual([]);
    expect(
      all.filter((snippet) => snippet.code.includes("SARK_GATEWAY_URL ?? 'http://localhost:8080'")).length,
    ).toBeGreaterThan(5);
  });

  // Each block is its own process against the shared gateway: they run side by side.
  it.concurrent.each(all.map((snippet) => [snippet.name, snippet] as const))(
    '%s',
    async (name, snippet) => {
      const file = join(scratch, `${name.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
      const code =
        snippet.lang === 'ts'
          ? transformSync(snippet.code, { loader: 'ts', format: 'esm', target: `node${process.versions.node}` }).code
          : snippet.code;
      writeFileSync(file, code);
      // A worker module (`export default { fetch }`) is run the way its runtime runs it: one request, with the env.
      const worker = /^export default \{/m.test(snippet.code);
      const entry = worker ? `${file}.run.mjs` : file;
      if (worker) {
        writeFileSync(
          entry,
          `import worker from ${JSON.stringify(file)};
          const env = { SARK_GATEWAY_URL: process.env.SARK_GATEWAY_URL, SARK_API_KEY: process.env.SARK_API_KEY };
          const response = await worker.fetch(new Request('http://worker.example/'), env);
          console.log(response.status, await response.text());
          if (!response.ok) process.exitCode = 1;`,
        );
      }
      const { code: exit, output } = await runNode([entry], {
        cwd: join(repo, 'examples'),
        env: {
          ...process.env,
          SARK_GATEWAY_URL: gateway.url,
          SARK_API_KEY: DEMO_API_KEY,
          SARK_OAUTH_GATEWAY_URL: oauthGateway.url,
          SARK_CLIENT_ID: machineClient.client_id,
          SARK_CLIENT_SECRET: machineClient.client_secret,
          XDG_CONFIG_HOME: join(scratch, 'config'),
          PATH: `${standInBrowserDir}:${process.env['PATH'] ?? ''}`,
        },
      });
      expect({ code: exit, output }).toMatchObject({ code: 0 });
    },
    60_000,
  );
});
