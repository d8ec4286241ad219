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
    const globalSetup = existsSync(join(packagesDir, dir, 'test', 'global-setup.ts')) ? ['test/global-setup.ts'] : [];
    return { dir, name: manifest.name, neutral: manifest.sark?.neutral === true, globalSetup };
  });

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

// The files that spend longest waiting on child processes start first, so that none of them starts last and holds
// the whole run (vitest otherwise orders by project name, and transport-stdio comes last).
const LONGEST_FIRST = [
  'packages/cli/test/sark.test.ts',
  'examples/test/readme-snippets.test.ts',
  'examples/test/examples.test.ts',
  'packages/transport-stdio/test/stdio-transport.test.ts',
  'packages/transport-stdio/test/mcp-client-features.test.ts',
  'packages/client/test/gateway-client.node.test.ts',
  'packages/transport-http/test/contract.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return index === -1 ? LONGEST_FIRST.length : index;
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
    sequence: { sequencer: LongestFirst },
    // Wall-clock limits are there to end a hung test, not to measure speed (benchmarks do that): the tests wait on
    // real child processes, servers and timers, and on a loaded 2-core machine vitest's defaults (5 s a test, 1 s for
    // expect.poll) failed tests that were only slow. A hung test still fails, with its name, after 30 s.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 10_000 } },
    projects: packages
      .flatMap(({ dir, name, neutral, globalSetup }) => {
        const node = {
          extends: true as const,
          test: {
            name,
            root: join(packagesDir, dir),
            include: ['test/**/*.test.ts'],
            environment: 'node',
            globalSetup,
          },
        };
        // Packages that promise to run in browsers and edge runtimes run their neutral tests there too.
        const edge = {
          extends: true as const,
          resolve: { alias: aliasFor('edge') },
          test: {
            name: `${name} (edge-runtime)`,
            root: join(packagesDir, dir),
            include: ['test/**/*.test.ts'],
            exclude: ['test/**/*.node.test.ts'],
            environment: 'edge-runtime',
            globalSetup,
          },
        };
        return neutral ? [node, edge] : [node];
      })
      .concat(examples),
  },
});
