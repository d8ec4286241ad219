import { sarkTsup } from '../../tsup.base';

export default sarkTsup({ index: 'src/index.ts' });
