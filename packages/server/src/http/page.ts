/**
 * A paged answer as the reference writes it: the list under `key` and `next_page_token`, each omitted when empty
 * (proto3 JSON leaves out empty repeated fields and unset strings).
 */
export function pageResponse<K extends string, T>(
  key: K,
  items: T[],
  nextPageToken: string | undefined,
): { [P in K]?: T[] } & { next_page_token?: string } {
  return {
    ...(items.length > 0 ? { [key]: items } : {}),
    ...(nextPageToken ? { next_page_token: nextPageToken } : {}),
  } as { [P in K]?: T[] } & { next_page_token?: string };
}
