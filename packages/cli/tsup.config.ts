import { sarkTsup } from '../../tsup.base';

// A command-line tool: ESM only, no declarations; each command is a chunk of its own, loaded when it runs, so
// `sark --help` loads only the argument parser.
export default sarkTsup({ main: 'src/main.ts' }, { format: ['esm'], dts: false, splitting: true });
