import { sarkTsup } from '../../tsup.base';

export default sarkTsup({ index: 'src/index.ts', node: 'src/node.ts' });
