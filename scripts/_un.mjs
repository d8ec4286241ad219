import { build } from 'esbuild';
const r = await build({ stdin: { contents: process.argv[2], resolveDir: 'packages/client', loader: 'js' }, bundle: true, minify: false, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
console.log(r.outputFiles[0].text);
