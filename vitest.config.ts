import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Tests run against the packages' TypeScript sources: each @sark package name resolves to its src/index.ts, so a
// test never needs a build first and always sees the code beside it.
const packagesDir = join(import.meta.dirname, 'packages');
const packages = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as {
      name: string;
      sark?: { neutral?: boolean };
    };
    const setupFile = join(packagesDir, dir, 'test', 'global-setup.ts');
    const globalSetup = existsSync(setupFile) ? [setupFile] : [];
    return { dir, name: manifest.name, neutral: manifest.sark?.neutral === true, globalSetup };
  });
const neutral = packages.filter((pkg) => pkg.neutral);

// In the edge-runtime projects a package with a browser/edge entry (src/index.browser.ts) resolves to it, as a
// bundler for those runtimes would through the package's export conditions.
const aliasFor = (runtime: 'node' | 'edge') =>
  packages.flatMap(({ dir, name }) => {
    const browserEntry = join(packagesDir, dir, 'src', 'index.browser.ts');
    const internalEntry = join(packagesDir, dir, 'src', 'internal.ts');
    return [
      {
        find: new RegExp(`^${name.replace('/', '\\/')}$`),
        replacement:
          runtime === 'edge' && existsSync(browserEntry) ? browserEntry : join(packagesDir, dir, 'src', 'index.ts'),
      },
      // A package's documented-unstable helpers for its sibling packages (`@sark/core/internal`).
      ...(existsSync(internalEntry)
        ? [{ find: new RegExp(`^${name.replace('/', '\\/')}\\/internal$`), replacement: internalEntry }]
        : []),
    ];
  });

// The examples (and the main job) run as their own project, in Node.
const examples = existsSync(join(import.meta.dirname, 'examples', 'package.json'))
  ? [
      {
        extends: true as const,
        test: {
          name: '@sark/examples',
          root: join(import.meta.dirname, 'examples'),
          include: ['test/**/*.test.ts'],
          environment: 'node',
        },
      },
    ]
  : [];

// Files run project by project — a worker is reused only for a next file of the same project, and a switch costs a
// fresh worker — and within a project the files that spend longest waiting on child processes first, so that none
// of them starts last and holds the whole run. The examples (the longest files) go first.
const PROJECT_ORDER = ['@sark/examples', 'node', 'edge-runtime'];
const LONGEST_FIRST = [
  'examples/test/examples.test.ts',
  'examples/test/readme-snippets.test.ts',
  'packages/cli/test/sark.test.ts',
  'packages/transport-stdio/test/stdio-transport.test.ts',
  'packages/oauth/test/refresh.node.test.ts',
  'packages/transport-mcp-http/test/remote-server.node.test.ts',
  'packages/transport-stdio/test/mcp-client-features.test.ts',
  'packages/client/test/gateway-client.node.test.ts',
  'packages/transport-http/test/contract.test.ts',
  'packages/transport-sse/test/sse-transport.test.ts',
];

class ProjectByProjectLongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return PROJECT_ORDER.indexOf(file.project.name) * 100 + (index === -1 ? LONGEST_FIRST.length : index);
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: { alias: aliasFor('node') },
  test: {
    // Most test time is spent waiting on sockets, timers and child processes, not on the CPU: vitest's default of one
    // worker per core less one (a single worker on a 2-core machine) left the cores idle. One worker more than the
    // cores (3 on 2): a fourth cost more in module imports (each worker loads the module graph once) than it won in
    // waiting (measured: 119 s of CPU against 130 s, 62 s against 68 s).
    maxWorkers: Math.max(3, availableParallelism() + 1),
    // A worker runs its files one after another in one module graph: Node's own start-up, vitest's runtime and the
    // externals every file loads (typescript, undici, the MCP SDK) are paid once per worker, not once per file. This
    // relies on every test file leaving no global state behind (fake timers restored, servers closed, env untouched).
    isolate: false,
    sequence: { sequencer: ProjectByProjectLongestFirst },
    // Wall-clock limits are there to end a hung test, not to measure speed (benchmarks do that): the tests wait on
    // real child processes, servers and timers, and on a loaded 2-core machine vitest's defaults (5 s a test, 1 s for
    // expect.poll) failed tests that were only slow. A hung test still fails, with its name, after 30 s.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 10_000 } },
    // Three projects, not one per package: vitest reuses a worker (and the modules it has loaded) only for the next
    // file of the same project, so per-package projects started a fresh worker for nearly every file: 64 workers and
    // 57 s of CPU on Node 20, where these three take 9 workers and 31 s. One package: `vitest run packages/core`.
    projects: [
      {
        extends: true as const,
        test: {
          name: 'node',
          include: packages.map(({ dir }) => `packages/${dir}/test/**/*.test.ts`),
          environment: 'node',
          globalSetup: packages.flatMap(({ globalSetup }) => globalSetup),
        },
      },
      // Packages that promise to run in browsers and edge runtimes run their neutral tests there too.
      {
        extends: true as const,
        resolve: { alias: aliasFor('edge') },
        test: {
          name: 'edge-runtime',
          include: neutral.map(({ dir }) => `packages/${dir}/test/**/*.test.ts`),
          exclude: ['**/*.node.test.ts', '**/node_modules/**'],
          environment: 'edge-runtime',
          globalSetup: neutral.flatMap(({ globalSetup }) => globalSetup),
        },
      },
      ...examples,
    ],
  },
});
