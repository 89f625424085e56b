export interface FileSize {
  file: string;
  gzip: number;
}
export interface Sizes {
  files: FileSize[];
  total: number;
  firstPage: number;
  firstPageFiles: FileSize[];
  /** Each lazy part's chunk (undefined when it has none of its own) and whether the first page loads it. */
  lazy: { part: string; file: string | undefined; onFirstPage: boolean }[];
  /** Each later feature's own chunks (only its entries load them), not counted in `total`. */
  features: { name: string; budget: number; files: FileSize[]; gzip: number; lazy: boolean }[];
}
export declare const BUDGETS: { total: number; firstPage: number };
export declare const DEFAULT_DIST: string;
export declare const LAZY_PARTS: string[];
export declare const FEATURES: { name: string; entries: string[]; budget: number }[];
export declare function measure(dist?: string): Sizes;
export declare function kb(n: number): string;
export declare function biggest(list: FileSize[], n?: number): string;
