import { sarkTsup } from '../../tsup.base';

// One entry: HTTP comes from @sark/transport-http, whose export conditions pick undici (Node) or fetch (elsewhere).
export default sarkTsup({ index: 'src/index.ts' });
