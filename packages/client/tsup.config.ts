import { sarkTsup } from '../../tsup.base';

// Two entries with one API: undici under Node, fetch in browsers, workers and edge runtimes (export conditions).
// Splitting: the browser entry loads the registry and aggregated-MCP dialects on first use, as a chunk of its own.
export default sarkTsup({ index: 'src/index.ts', 'index.browser': 'src/index.browser.ts' }, { splitting: true });
