import { describe, expect, it } from 'vitest';
import * as aiSdk from '@sark/ai-sdk';
import { walkWithWrongArguments } from '@sark/test-support/wrong-arguments';

describe('wrong arguments', () => {
  it('every export fails at once with a typed error and leaves nothing behind', async () => {
    expect(await walkWithWrongArguments({ exports: aiSdk })).toEqual([]);
  }, 120_000);
});
