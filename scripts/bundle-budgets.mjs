// Bundle budgets: what a browser app pays for the client. esbuild bundles each entry for the browser (minified,
// every dependency included), the result is gzipped, and a budget over its limit — or any `node:` import — fails.
// Run after `pnpm build`: node scripts/bundle-budgets.mjs
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Each source is what a small browser app imports; it is resolved from a workspace package that depends on it.
const BUDGETS = [
  {
    name: 'core + transport-http + transport-sse',
    source: `export { HttpTransport } from '@sark/transport-http'; export { SseTransport } from '@sark/transport-sse';
      export { GatewayError, PermissionDeniedError } from '@sark/core';`,
    from: 'packages/client',
    // Not met (issue 15 asks for 11 KB, and is blocked on that decision): the ceiling stops unplanned growth. Raised
    // from 14 to 14.5 KB for issue 27's typed errors on every wrong argument (+0.4 KB), and to 14.7 KB for issue 23's
    // OAuth on the gateway's REST requests (the `auth` option, +0.15 KB), and to 14.9 KB for issue 24's gateway
    // dialects (`HttpTransport.getJson` with its path check, and HTML answers named as such: +0.2 KB), and to 15 KB
    // for event streams from gateways that take OAuth only (`SseTransport({ auth })`: +0.16 KB); any further growth is
    // a decision, not a drift.
    limitKb: 15,
    targetKb: 11,
  },
  {
    name: '@sark/gateway (browser entry)',
    source: `export { GatewayClient, GatewayError } from '@sark/gateway';`,
    from: 'examples',
    limitKb: 22,
  },
];

let failed = 0;
for (const budget of BUDGETS) {
  const result = await build({
    stdin: { contents: budget.source, resolveDir: `${root}/${budget.from}`, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    // Chunks for dynamic imports, as a web app's bundler makes them: the budget is the entry chunk, loaded first.
    splitting: true,
    outdir: 'budget-out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const entry = Object.keys(result.metafile.outputs).find((file) => result.metafile.outputs[file].entryPoint);
  const bytes = result.outputFiles.find((file) => file.path.endsWith(entry)).contents;
  const gzipKb = gzipSync(bytes, { level: 9 }).length / 1024;
  const nodeImports = Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((imported) => imported.path.startsWith('node:') || imported.external)
    .map((imported) => imported.path);
  const ok = gzipKb <= budget.limitKb && nodeImports.length === 0;
  if (!ok) failed++;
  const target =
    budget.targetKb !== undefined && gzipKb > budget.targetKb ? `; NOTICE: over its ${budget.targetKb} KB target` : '';
  const minifiedKb = (bytes.length / 1024).toFixed(1);
  const imports = nodeImports.length ? `; node imports: ${[...new Set(nodeImports)].join(', ')}` : '';
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${budget.name}: ${gzipKb.toFixed(1)} KB gzip (${minifiedKb} KB minified), ` +
      `budget ${budget.limitKb} KB${target}${imports}`,
  );
}
process.exit(failed === 0 ? 0 : 1);
