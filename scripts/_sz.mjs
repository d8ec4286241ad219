import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const r = await build({ stdin: { contents: process.argv[2], resolveDir: process.argv[3] ?? 'packages/client', loader: 'js' }, bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
const b = r.outputFiles[0].contents;
console.log((gzipSync(b, {level: 9}).length/1024).toFixed(2), 'KB gz', (b.length/1024).toFixed(1), 'KB min');
if (process.env.SHOW) { const out = Object.values(r.metafile.outputs)[0]; for (const [k, v] of Object.entries(out.inputs)) console.log(v.bytesInOutput, k.replace(/.*packages\//, '')); }
