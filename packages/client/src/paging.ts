/** One page of a search: its items and the token of the next page (absent on the last). */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** Walks every page: calls `fetchPage` with each next token until a page comes back without one. */
export async function* paginate<T>(fetchPage: (pageToken?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.nextPageToken || undefined;
  } while (token);
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
