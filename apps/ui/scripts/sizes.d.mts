export interface FileSize {
  file: string;
  gzip: number;
}
export interface Sizes {
  files: FileSize[];
  total: number;
  firstPage: number;
  firstPageFiles: FileSize[];
}
export declare const BUDGETS: { total: number; firstPage: number };
export declare const DEFAULT_DIST: string;
export declare function measure(dist?: string): Sizes;
export declare function kb(n: number): string;
export declare function biggest(list: FileSize[], n?: number): string;
