import { IS_PROMPT_TAG, type WebhookEventName } from "@tracklite/schemas";

/**
 * What the registry store reports after a committed write, in the request's own terms (the reference builds each
 * payload from the request message, not from what was stored), and how that becomes a webhook event: the same
 * change is a `prompt_*` event when the registered model is a prompt.
 * @see mlflow/server/handlers.py _create_registered_model … _delete_registered_model_alias (their deliver_webhook calls)
 */

type KeyValue = { key?: string | undefined; value?: string | undefined };

export type RegistryChange =
  | { kind: "registeredModelCreated"; name: string; tags: readonly KeyValue[]; description: string | undefined }
  | { kind: "registeredModelTagSet"; name: string; key: string; value: string }
  | { kind: "registeredModelTagDeleted"; name: string; key: string }
  | {
      kind: "modelVersionCreated";
      name: string;
      version: number;
      /** The source and run id as the handler resolved them (`models:/name@alias` lineage), before the store's own. */
      source: string;
      runId: string;
      tags: readonly KeyValue[];
      description: string | undefined;
    }
  | { kind: "modelVersionTagSet"; name: string; version: string; key: string; value: string }
  | { kind: "modelVersionTagDeleted"; name: string; version: string; key: string }
  | { kind: "aliasSet"; name: string; alias: string; version: string }
  | { kind: "aliasDeleted"; name: string; alias: string };

/** Called by the registry store after each committed write; it must neither throw nor make the write wait. */
export type RegistryChangeSink = (change: RegistryChange) => void;

export interface WebhookEventData {
  event: WebhookEventName;
  data: Record<string, unknown>;
}

const PROMPT_TEXT_TAG = "mlflow.prompt.text";
const PROMPT_TYPE_TAG = "_mlflow_prompt_type";

/** A request's tags as a dict: a repeated key keeps its first place and its last value; a missing value is "". */
function tagDict(tags: readonly KeyValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) out[t.key ?? ""] = t.value ?? "";
  return out;
}

/** `_is_prompt_request`: the request's tags (last value wins) say `mlflow.prompt.is_prompt=true`, in any case. */
function promptRequest(tags: Record<string, string>): boolean {
  return (tags[IS_PROMPT_TAG] ?? "false").toLowerCase() === "true";
}

function without(tags: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !keys.includes(k)));
}

/**
 * The event and payload a change delivers, or undefined when the reference delivers nothing (a tag on a registered
 * model that is not a prompt). `isPrompt` reads the model's tags after the write, as the handlers do.
 */
export async function toWebhookEvent(
  change: RegistryChange,
  isPrompt: (name: string) => Promise<boolean>,
): Promise<WebhookEventData | undefined> {
  const { name } = change;
  switch (change.kind) {
    case "registeredModelCreated": {
      const tags = tagDict(change.tags);
      // An unset description is the proto default, "" (the version payloads below turn it into null).
      const description = change.description ?? "";
      return promptRequest(tags)
        ? { event: "prompt.created", data: { name, tags: without(tags, IS_PROMPT_TAG, PROMPT_TYPE_TAG), description } }
        : { event: "registered_model.created", data: { name, tags, description } };
    }
    case "modelVersionCreated": {
      const tags = tagDict(change.tags);
      const version = String(change.version);
      const description = change.description || null;
      if (promptRequest(tags)) {
        const template = tags[PROMPT_TEXT_TAG] ?? null;
        const rest = without(tags, PROMPT_TEXT_TAG, IS_PROMPT_TAG, PROMPT_TYPE_TAG);
        return { event: "prompt_version.created", data: { name, version, template, tags: rest, description } };
      }
      return {
        event: "model_version.created",
        data: { name, version, source: change.source, run_id: change.runId || null, tags, description },
      };
    }
    case "registeredModelTagSet":
      return (await isPrompt(name))
        ? { event: "prompt_tag.set", data: { name, key: change.key, value: change.value } }
        : undefined;
    case "registeredModelTagDeleted":
      return (await isPrompt(name)) ? { event: "prompt_tag.deleted", data: { name, key: change.key } } : undefined;
    case "modelVersionTagSet": {
      const data = { name, version: change.version, key: change.key, value: change.value };
      return { event: (await isPrompt(name)) ? "prompt_version_tag.set" : "model_version_tag.set", data };
    }
    case "modelVersionTagDeleted": {
      const data = { name, version: change.version, key: change.key };
      return { event: (await isPrompt(name)) ? "prompt_version_tag.deleted" : "model_version_tag.deleted", data };
    }
    case "aliasSet": {
      const data = { name, alias: change.alias, version: change.version };
      return { event: (await isPrompt(name)) ? "prompt_alias.created" : "model_version_alias.created", data };
    }
    case "aliasDeleted": {
      const data = { name, alias: change.alias };
      return { event: (await isPrompt(name)) ? "prompt_alias.deleted" : "model_version_alias.deleted", data };
    }
  }
}
