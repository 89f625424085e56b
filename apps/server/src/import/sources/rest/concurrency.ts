/**
 * Keeping a few requests in flight while the importer consumes answers in order, so that a REST import is bound by
 * the server's throughput rather than by one round trip per call. Memory stays bounded by the window.
 */

/** Default number of requests a REST source keeps in flight. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Maps `items` through `fn`, up to `window` calls running at once, and yields the results in the items' order.
 * A failure is thrown when its turn comes; the calls started after it are left to settle unobserved.
 */
export async function* mapOrdered<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  window: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  try {
    for await (const item of items) {
      const p = fn(item);
      // Keep an early rejection from being reported as unhandled while it waits for its turn.
      p.catch(() => {});
      pending.push(p);
      if (pending.length >= Math.max(1, window)) yield await (pending.shift() as Promise<R>);
    }
    while (pending.length > 0) yield await (pending.shift() as Promise<R>);
  } finally {
    pending.length = 0;
  }
}

/** One page of a paged listing. */
export interface PageOf<T> {
  items: T[];
  next?: string;
}

/**
 * Walks a paged listing a page ahead: the next page is requested as soon as a page arrives, before the consumer is
 * done with it. Yields whole pages (a metric history's pages become the sink's batches).
 */
export async function* pagesAhead<T>(fetchPage: (token?: string) => Promise<PageOf<T>>): AsyncGenerator<T[]> {
  let current = fetchPage(undefined);
  for (;;) {
    const page = await current;
    const token = page.next || undefined;
    if (token) {
      current = fetchPage(token);
      current.catch(() => {});
    }
    if (page.items.length > 0) yield page.items;
    if (!token) return;
  }
}

/** Every item of a paged listing, a page ahead. */
export async function* itemsAhead<T>(fetchPage: (token?: string) => Promise<PageOf<T>>): AsyncGenerator<T> {
  for await (const page of pagesAhead(fetchPage)) yield* page;
}
