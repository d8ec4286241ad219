import { sarkTsup } from '../../tsup.base';

// Two entries — the public API and the unstable internal helpers — sharing their code in chunks (ESM), so one
// process loads one copy of each module.
export default sarkTsup({ index: 'src/index.ts', internal: 'src/internal.ts' }, { splitting: true });
