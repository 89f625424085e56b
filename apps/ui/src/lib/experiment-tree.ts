/**
 * The experiments list as a folder tree: names containing `/` ("team/project/baseline") become folders. Pure
 * functions, tested in experiment-tree.test.ts.
 */

export interface TreeExperiment {
  experiment_id: string;
  name: string;
  last_update_time?: number;
  creation_time?: number;
}

export interface FolderNode<E extends TreeExperiment> {
  kind: "folder";
  /** `team/project/`: the folder's full path with a trailing slash (a key no experiment name collides with). */
  path: string;
  /** The last segment: `project`. */
  label: string;
  children: Node<E>[];
  /** Most recent update of anything inside, for ordering. */
  latest: number;
  /** Experiments inside, at any depth. */
  count: number;
}

export interface LeafNode<E extends TreeExperiment> {
  kind: "experiment";
  /** The last segment of the name. */
  label: string;
  experiment: E;
  latest: number;
}

export type Node<E extends TreeExperiment> = FolderNode<E> | LeafNode<E>;

/** A visible row of the flattened tree. */
export type Row<E extends TreeExperiment> = Node<E> & { depth: number };

const updated = (e: TreeExperiment) => Number(e.last_update_time ?? e.creation_time ?? 0);

/** Case-insensitive: every whitespace-separated word of `query` occurs in the name. */
export function matchesName(name: string, query: string): boolean {
  const n = name.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => n.includes(w));
}

/** Builds the tree; every level is ordered most recently updated first (folders by their newest experiment). */
export function buildTree<E extends TreeExperiment>(experiments: readonly E[]): FolderNode<E> {
  const root: FolderNode<E> = { kind: "folder", path: "", label: "", children: [], latest: 0, count: 0 };
  for (const e of experiments) {
    const parts = e.name.split("/").filter(Boolean);
    const label = parts.pop() ?? e.name;
    let folder = root;
    const latest = updated(e);
    const chain = [root];
    for (const part of parts) {
      const path = `${folder.path}${part}/`;
      let next = folder.children.find((c): c is FolderNode<E> => c.kind === "folder" && c.path === path);
      if (!next) {
        next = { kind: "folder", path, label: part, children: [], latest: 0, count: 0 };
        folder.children.push(next);
      }
      folder = next;
      chain.push(folder);
    }
    folder.children.push({ kind: "experiment", label, experiment: e, latest });
    for (const f of chain) {
      f.count++;
      f.latest = Math.max(f.latest, latest);
    }
  }
  const order = (f: FolderNode<E>) => {
    f.children.sort((a, b) => b.latest - a.latest || a.label.localeCompare(b.label));
    for (const c of f.children) if (c.kind === "folder") order(c);
  };
  order(root);
  return root;
}

/** The visible rows: folders in `collapsed` hide their contents (unless `expandAll`, used while searching). */
export function flatten<E extends TreeExperiment>(
  root: FolderNode<E>,
  collapsed: ReadonlySet<string>,
  expandAll = false,
): Row<E>[] {
  const rows: Row<E>[] = [];
  const walk = (f: FolderNode<E>, depth: number) => {
    for (const c of f.children) {
      rows.push({ ...c, depth });
      if (c.kind === "folder" && (expandAll || !collapsed.has(c.path))) walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/**
 * A case-insensitive MLflow filter for a substring search on one key: `name ILIKE '%words%'`, quoted with whichever
 * quote the text does not contain (undefined when it contains both, or is blank).
 */
export function likeFilter(key: string, query: string): string | undefined {
  const q = query.trim();
  if (!q) return undefined;
  const quote = q.includes("'") ? (q.includes('"') ? undefined : '"') : "'";
  if (!quote) return undefined;
  return `${key} ILIKE ${quote}%${q}%${quote}`;
}

/** The filter for a search on experiment names. */
export const nameFilter = (query: string) => likeFilter("name", query);
