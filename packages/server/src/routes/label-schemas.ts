import type { Hono } from "hono";
import { invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { inputFromWire, type LabelSchemaChanges } from "../validation/label-schemas.js";
import { storeIn } from "../workspaces/middleware.js";
import { maxResultsInRange, offsetOf, page } from "./review-paging.js";

/** /mlflow/label-schemas/* (3.0 prefixes only). @see mlflow/server/handlers.py _create_label_schema … */
export function labelSchemaRoutes(v3: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "createLabelSchema", async (req, c) => {
    // The handler reads the type, then the input, before the store checks the rest.
    if (!req.type)
      throw invalidParameter("Label schema `type` must be one of FEEDBACK or EXPECTATION; got proto enum value 0.");
    const input = inputFromWire(req.input);
    const label_schema = await at(c).labelSchemas.create({
      experimentId: req.experiment_id ?? "",
      name: req.name ?? "",
      type: req.type,
      input,
      instruction: req.instruction,
      enableComment: req.enable_comment,
    });
    return { label_schema };
  });

  mount(v3, "getLabelSchema", async (req, c) => ({
    label_schema: await at(c).labelSchemas.get(req.schema_id ?? ""),
  }));

  mount(v3, "getLabelSchemaByName", async (req, c) => ({
    label_schema: await at(c).labelSchemas.getByName(req.experiment_id ?? "", req.name ?? ""),
  }));

  mount(v3, "listLabelSchemas", async (req, c) => {
    maxResultsInRange(req.max_results);
    const offset = offsetOf(req.page_token);
    return page(
      "label_schemas",
      await at(c).labelSchemas.list(req.experiment_id ?? "", req.max_results ?? 100, offset),
    );
  });

  mount(v3, "updateLabelSchema", async (req, c) => {
    const changes: LabelSchemaChanges = {};
    if (req.name !== undefined) changes.name = req.name;
    if (req.instruction !== undefined) changes.instruction = req.instruction;
    if (req.enable_comment !== undefined) changes.enable_comment = req.enable_comment;
    if (req.input !== undefined) changes.input = inputFromWire(req.input);
    return { label_schema: await at(c).labelSchemas.update(req.schema_id ?? "", changes) };
  });

  mount(v3, "deleteLabelSchema", async (req, c) => {
    await at(c).labelSchemas.delete(req.schema_id ?? "");
    return {};
  });
}
