import { describe, expect, it } from 'vitest';
import { evictOldest } from '@sark/core/internal';

describe('evictOldest (the one eviction rule of the response and decision caches)', () => {
  it('drops the oldest entries until at most maxEntries remain; a re-inserted entry counts as new', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    map.delete('a');
    map.set('a', 1);
    map.set('d', 4);
    evictOldest(map, 2);
    expect([...map.keys()]).toEqual(['a', 'd']);
    evictOldest(map, 5);
    expect(map.size).toBe(2);
  });
});
