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
    // The declarations use Symbol.asyncDispose: the reference brings its lib to consumers whose `lib` is older
    // (ES2022 + DOM is common), so they type-check with skipLibCheck off.
    dts: { banner: '/// <reference lib="esnext.disposable" />' },
    sourcemap: true,
    clean: true,
    splitting: false,
    target: 'es2022',
    outDir: 'dist',
    ...overrides,
  });
}
