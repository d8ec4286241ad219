import { sarkTsup } from '../../tsup.base';

// `#opossum` stays an import: package.json "imports" picks opossum's Node build or its self-contained browser bundle.
export default sarkTsup({ index: 'src/index.ts' }, { external: ['#opossum'] });
