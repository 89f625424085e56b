import type { ImportSink } from "@tracklite/server/import";
import { UsageError } from "../usage-error.js";
import type { ImportOptions } from "./command.js";

/**
 * The sink for the target store of `tracklite import`: tracklite's tables at --backend-store-uri, artifacts at
 * --artifacts-destination. The store is checked first (checkBackendStore) by the caller.
 */
export async function openImportSink(_options: ImportOptions): Promise<ImportSink> {
  throw new UsageError("writing into tracklite's store is not built into this tracklite yet (use --dry-run).");
}
