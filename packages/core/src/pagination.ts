import { GatewayProtocolError } from './errors';
import type { Page } from './models';

/** Largest page a gateway is asked for (WIRE.md §1). */
export const MAX_PAGE_SIZE = 1000;
/** Pages fetched at the same time once `total` is known. */
export const PAGE_CONCURRENCY = 4;

/** The ceilings of one "all" operation: reaching one is a `GatewayProtocolError`, never a silent cut. */
export interface PagingLimits {
  /** Pages one operation may load. Default 10 000. */
  readonly maxPages: number;
  /** Items one operation may collect. Default 1 000 000. */
  readonly maxItems: number;
}

export const DEFAULT_PAGING_LIMITS: PagingLimits = /* @__PURE__ */ Object.freeze({
  maxPages: 10_000,
  maxItems: 1_000_000,
});

/** Loads the page at `offset` with `limit` items. */
export type PageLoader<T> = (offset: number, limit: number) => Promise<Page<T>>;

/** The limit actually sent for a requested page size. */
export function effectiveLimit(pageSize: number): number {
  return Math.min(pageSize, MAX_PAGE_SIZE);
}

/**
 * Checks one page against what was asked and against the page before it, and says whether paging goes on. A page
 * larger than the limit (a gateway that ignores `limit`) or repeating the previous page (one that ignores `offset`)
 * is a `GatewayProtocolError`; a short or empty page, or reaching `total`, ends paging.
 */
class PageGuard<T> {
  readonly #limit: number;
  readonly #limits: PagingLimits;
  readonly #what: string;
  #pages = 0;
  #items = 0;
  #previous: readonly T[] | null = null;

  constructor(limit: number, limits: PagingLimits, what: string) {
    this.#limit = limit;
    this.#limits = limits;
    this.#what = what;
  }

  /** Whether another page should be loaded after `page` (which was loaded for `offset`). */
  accept(page: Page<T>, offset: number): boolean {
    const { items, total } = page;
    if (items.length > this.#limit) {
      throw new GatewayProtocolError({
        message:
          `${this.#what}: the gateway answered ${items.length} items for a limit of ${this.#limit} (it ` +
          `ignores limit)`,
      });
    }
    if (this.#previous !== null && items.length > 0 && samePage(items, this.#previous)) {
      throw new GatewayProtocolError({
        message: `${this.#what}: the page at offset ${offset} repeats the one before it (the gateway ignores offset)`,
      });
    }
    this.#previous = items;
    this.#pages++;
    this.#items += items.length;
    if (this.#items > this.#limits.maxItems)
      throw new GatewayProtocolError({
        message: `${this.#what}: more than maxItems (${this.#limits.maxItems}) items; stopped`,
      });
    const more = items.length === this.#limit && (total === null || offset + items.length < total);
    if (more && this.#pages >= this.#limits.maxPages)
      throw new GatewayProtocolError({
        message: `${this.#what}: more than maxPages (${this.#limits.maxPages}) pages; stopped`,
      });
    return more;
  }
}

/** Two pages are the same when they hold as many items and start and end alike (distinct pages never do). */
function samePage<T>(a: readonly T[], b: readonly T[]): boolean {
  return (
    a.length === b.length &&
    JSON.stringify(a[0]) === JSON.stringify(b[0]) &&
    JSON.stringify(a.at(-1)) === JSON.stringify(b.at(-1))
  );
}

/**
 * Every item, bounded whatever the gateway says: paging stops at `total`, at a short or empty page; a page larger
 * than the limit, a page repeating the previous one, and more than `maxPages`/`maxItems` are `GatewayProtocolError`s.
 * Once the first page gives `total`, later pages are fetched concurrently (at most {@link PAGE_CONCURRENCY} at a
 * time), in waves that never go past a page that came back short, and joined in order.
 */
export async function loadAllPages<T>(
  load: PageLoader<T>,
  pageSize: number,
  limits: PagingLimits,
  what: string,
): Promise<T[]> {
  const limit = effectiveLimit(pageSize);
  const guard = new PageGuard<T>(limit, limits, what);
  const first = await load(0, limit);
  const items = [...first.items];
  if (!guard.accept(first, 0)) return items;
  const total = first.total;
  for (let offset = limit; ;) {
    // Without a total, one page at a time; with one, a wave of up to PAGE_CONCURRENCY pages within it.
    const wave = total === null ? 1 : Math.min(PAGE_CONCURRENCY, Math.ceil((total - offset) / limit));
    const offsets = Array.from({ length: Math.max(1, wave) }, (_, i) => offset + i * limit);
    const pages = await Promise.all(offsets.map((at) => load(at, limit)));
    for (const [index, page] of pages.entries()) {
      items.push(...page.items);
      if (!guard.accept(page, offsets[index] as number)) return total === null ? items : items.slice(0, total);
    }
    offset += offsets.length * limit;
  }
}

/**
 * Items one page at a time, loading the next page only when the consumer gets there; bounded like {@link loadAllPages}.
 */
export async function* iteratePages<T>(
  load: PageLoader<T>,
  pageSize: number,
  limits: PagingLimits,
  what: string,
): AsyncGenerator<T> {
  const limit = effectiveLimit(pageSize);
  const guard = new PageGuard<T>(limit, limits, what);
  for (let offset = 0; ; offset += limit) {
    const page = await load(offset, limit);
    const more = guard.accept(page, offset);
    const room = page.total === null ? page.items.length : Math.max(0, page.total - offset);
    yield* page.items.slice(0, room);
    if (!more) return;
  }
}
