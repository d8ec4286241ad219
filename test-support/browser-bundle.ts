import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * Bundles an entry for the browser platform (as a web app's bundler would) and returns the modules that went in and
 * the code that came out, so a test can prove that no `node:` module (or other Node-only package) reaches it.
 */
export async function bundleForBrowser(
  entry: URL,
  external: string[] = [],
): Promise<{ inputs: string[]; code: string }> {
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
  });
  return { inputs: Object.keys(result.metafile.inputs), code: result.outputFiles[0]?.text ?? '' };
}
