import { sarkTsup } from '../../tsup.base';

// Two builds run side by side: the library, and the CLI (ESM only, no declarations; bin/ launches it).
// The library build cleans everything but the CLI's files, which the other build overwrites.
export default [
  sarkTsup({ index: 'src/index.ts' }, { platform: 'node', clean: ['index.*'] }),
  sarkTsup({ cli: 'src/cli.ts' }, { platform: 'node', format: ['esm'], dts: false, clean: false }),
];
