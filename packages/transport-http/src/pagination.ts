import type { Page } from '@sark/core';

/** Largest page a gateway is asked for (WIRE.md §1). */
export const MAX_PAGE_SIZE = 1000;
/** Pages fetched at the same time once `total` is known. */
export const PAGE_CONCURRENCY = 4;

/** Loads the page at `offset` with `limit` items. */
export type PageLoader<T> = (offset: number, limit: number) => Promise<Page<T>>;

/** The limit actually sent for a requested page size. */
export function effectiveLimit(pageSize: number): number {
  return Math.min(pageSize, MAX_PAGE_SIZE);
}

/**
 * Every item: stops at the first page shorter than the limit actually sent, or at `total` when the gateway gives
 * one — then the remaining pages are fetched concurrently (at most {@link PAGE_CONCURRENCY} at a time) and joined in
 * order. `maxPages` bounds a gateway that never stops.
 */
export async function loadAllPages<T>(load: PageLoader<T>, pageSize: number, maxPages: number): Promise<T[]> {
  const limit = effectiveLimit(pageSize);
  const first = await load(0, limit);
  const items = [...first.items];
  if (first.items.length < limit) return items;
  if (first.total !== null) {
    const pages = Math.min(Math.ceil(first.total / limit), maxPages);
    const offsets = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => (i + 1) * limit);
    const results = await mapConcurrently(offsets, PAGE_CONCURRENCY, (offset) => load(offset, limit));
    for (const page of results) {
      items.push(...page.items);
      if (page.items.length < limit) break;
    }
    return items.slice(0, first.total);
  }
  for (let page = 1; page < maxPages; page++) {
    const next = await load(page * limit, limit);
    items.push(...next.items);
    if (next.items.length < limit) break;
  }
  return items;
}

/** Items one page at a time, loading the next page only when the consumer gets there. */
export async function* iteratePages<T>(load: PageLoader<T>, pageSize: number, maxPages: number): AsyncGenerator<T> {
  const limit = effectiveLimit(pageSize);
  let seen = 0;
  for (let page = 0; page < maxPages; page++) {
    const next = await load(page * limit, limit);
    for (const item of next.items) {
      if (next.total !== null && seen >= next.total) return;
      seen++;
      yield item;
    }
    if (next.items.length < limit || (next.total !== null && seen >= next.total)) return;
  }
}

async function mapConcurrently<A, B>(inputs: readonly A[], concurrency: number, fn: (input: A) => Promise<B>): Promise<B[]> {
  const results = new Array<B>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await fn(inputs[index] as A);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return results;
}
