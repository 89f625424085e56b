import type { WebhookEventName } from "@tracklite/schemas";
import { PyFloat } from "./python-json.js";

const model = "example_model";
const prompt = "example_prompt";
const tags = { example_key: "example_value" };

/**
 * The payload `/test` sends for each event: the reference's example values, field for field.
 * @see mlflow/webhooks/types.py (each payload class's `example()`)
 */
export const EXAMPLE_PAYLOADS: Record<WebhookEventName, Record<string, unknown>> = {
  "registered_model.created": { name: model, tags, description: "An example registered model" },
  "model_version.created": {
    name: model,
    version: "1",
    source: "models:/123",
    run_id: "abcd1234abcd5678",
    tags,
    description: "An example model version",
  },
  "model_version_tag.set": { name: model, version: "1", key: "example_key", value: "example_value" },
  "model_version_tag.deleted": { name: model, version: "1", key: "example_key" },
  "model_version_alias.created": { name: model, alias: "example_alias", version: "1" },
  "model_version_alias.deleted": { name: model, alias: "example_alias" },
  "prompt.created": { name: prompt, tags, description: "An example prompt" },
  "prompt_version.created": {
    name: prompt,
    version: "1",
    template: "Hello {{name}}!",
    tags,
    description: "An example prompt version",
  },
  "prompt_tag.set": { name: prompt, key: "example_key", value: "example_value" },
  "prompt_tag.deleted": { name: prompt, key: "example_key" },
  "prompt_version_tag.set": { name: prompt, version: "1", key: "example_key", value: "example_value" },
  "prompt_version_tag.deleted": { name: prompt, version: "1", key: "example_key" },
  "prompt_alias.created": { name: prompt, alias: "example_alias", version: "1" },
  "prompt_alias.deleted": { name: prompt, alias: "example_alias" },
  "budget_policy.exceeded": {
    budget_policy_id: "bp-abc123",
    budget_unit: "USD",
    budget_amount: new PyFloat(100),
    current_spend: new PyFloat(105.5),
    duration_unit: "MONTHS",
    duration_value: 1,
    target_scope: "ENDPOINT",
    workspace: "default",
    target_value: "ep-abc123",
    window_start: 1704067200000,
  },
};
