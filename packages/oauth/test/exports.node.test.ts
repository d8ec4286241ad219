import { describe, expect, it } from 'vitest';
import { publicExports } from '@sark/test-support/public-exports';

// Listing exports type-checks the entry with the TypeScript compiler: seconds on a loaded machine, hence the
// generous timeout (not a performance target).
// The package's public surface, locked: a change here is a deliberate API change (and needs a changeset).
describe('public exports', () => {
  it('index', () => {
    expect(publicExports(new URL('../src/index.ts', import.meta.url).pathname)).toMatchSnapshot();
  }, 60_000);

  it('node', () => {
    expect(publicExports(new URL('../src/node.ts', import.meta.url).pathname)).toMatchSnapshot();
  }, 60_000);
});
