import { sarkTsup } from '../../tsup.base';

// Two entries with one API: undici under Node, fetch in browsers, workers and edge runtimes (export conditions).
export default sarkTsup({ index: 'src/index.ts', 'index.browser': 'src/index.browser.ts' });
