import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as core from '@sark/core';

// A second, independent copy of the package, as an app gets when two dependencies bring their own @sark/core
// (or when ESM and CJS builds are both loaded).
const dir = mkdtempSync(join(tmpdir(), 'sark-core-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadCopy(format: 'esm' | 'cjs'): Promise<typeof core> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    platform: 'neutral',
    format,
    write: false,
    logLevel: 'silent',
  });
  const file = join(dir, format === 'esm' ? 'copy.mjs' : 'copy.cjs');
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  return format === 'esm'
    ? ((await import(pathToFileURL(file).href)) as typeof core)
    : (createRequire(import.meta.url)(file) as typeof core);
}

describe.each(['esm', 'cjs'] as const)('instanceof across two copies (%s copy)', (format) => {
  it('matches the same class and its ancestors, and nothing else', async () => {
    const copy = await loadCopy(format);
    expect(copy.GatewayHttpError).not.toBe(core.GatewayHttpError);

    const fromCopy = new copy.GatewayHttpError({ status: 500, method: 'GET', url: 'http://g' });
    expect(fromCopy).toBeInstanceOf(core.GatewayHttpError);
    expect(fromCopy).toBeInstanceOf(core.GatewayError);
    expect(fromCopy).not.toBeInstanceOf(core.TimeoutError);

    const ours = new core.ProcessExitedError({ exitCode: 1, signal: null });
    expect(ours).toBeInstanceOf(copy.ProcessExitedError);
    expect(ours).toBeInstanceOf(copy.StdioTransportError);
    expect(ours).toBeInstanceOf(copy.GatewayError);
    expect(ours).not.toBeInstanceOf(copy.JsonRpcError);
    expect(new core.TimeoutError({ timeoutMs: 5 })).toBeInstanceOf(copy.GatewayTimeoutError);
  });

  it('every exported error class: standard instanceof for classes, prototypes, instances, across copies', async () => {
    const copy = await loadCopy(format);
    const exported = Object.values(core).filter(
      (value): value is typeof core.GatewayError =>
        typeof value === 'function' && (value === core.GatewayError || value.prototype instanceof core.GatewayError),
    );
    expect(new Set(exported)).toEqual(new Set(core.ERROR_CLASSES));
    for (const errorClass of core.ERROR_CLASSES) {
      const name = errorClass.prototype.name;
      const other = (copy as unknown as Record<string, typeof core.GatewayError>)[name] as typeof core.GatewayError;
      expect(other, name).toBeDefined();
      if (errorClass !== core.GatewayError) {
        expect(errorClass.prototype instanceof core.GatewayError, `${name}.prototype instanceof GatewayError`).toBe(
          true,
        );
        expect(other.prototype instanceof core.GatewayError, `copy ${name}.prototype instanceof GatewayError`).toBe(
          true,
        );
      }
      expect(errorClass.prototype instanceof errorClass).toBe(false);
      expect(Object.create(errorClass.prototype) instanceof errorClass).toBe(true);
      expect(Object.create(other.prototype) instanceof errorClass, `copy ${name} instance instanceof ${name}`).toBe(
        true,
      );
      expect(Object.create(other.prototype) instanceof Error).toBe(true);
    }
    expect(core.ProcessExitedError.prototype instanceof core.StdioTransportError).toBe(true);
    expect(core.TimeoutError.prototype instanceof core.GatewayHttpError).toBe(false);
    expect(copy.JsonRpcError.prototype instanceof core.TimeoutError).toBe(false);
  });
});
