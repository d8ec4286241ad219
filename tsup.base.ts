import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup setup every @sark package builds with: ESM + CJS + declarations, no bundled dependencies.
 * A package passes its entry points (and, rarely, a platform) and nothing else.
 */
export function sarkTsup(entry: Record<string, string>, overrides: Options = {}) {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  return defineConfig({
    entry,
    define: { __SARK_VERSION__: JSON.stringify(version) },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    target: 'es2022',
    outDir: 'dist',
    ...overrides,
  });
}
