// `pnpm bench`: runs every benchmark in bench/ (or those named on the command line) one after the other.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(here).filter(
  (dir) => existsSync(`${here}${dir}/index.mjs`) && (wanted.length === 0 || wanted.includes(dir)),
);
for (const suite of suites) {
  const { run } = await import(`./${suite}/index.mjs`);
  await run();
}
