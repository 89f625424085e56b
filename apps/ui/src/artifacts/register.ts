import { toast } from "../components/toast.js";

/** What to register: `runs:/<runId>/<path>` for a model in a run's artifacts, `models:/<id>` for a logged model. */
export interface RegisterTarget {
  source: string;
  runId: string;
  modelId?: string;
}

let current: EventListener | undefined;

/**
 * Opens the registry's "Register model" dialog (loaded on first use) for a model. `onRegistered` runs after a
 * version was created, with its model name and version.
 */
export async function openRegisterDialog(
  target: RegisterTarget,
  onRegistered?: (detail: { name: string; version: string }) => void,
): Promise<void> {
  await import("../registry/register-dialog.js");
  let dialog = document.querySelector("tl-register-model-dialog");
  if (!dialog) {
    dialog = document.createElement("tl-register-model-dialog");
    document.body.append(dialog);
  }
  dialog.source = target.source;
  dialog.runId = target.runId;
  dialog.modelId = target.modelId;
  // One listener at a time: the dialog element is shared by every button that opens it.
  if (current) dialog.removeEventListener("registered", current);
  current = (e: Event) => {
    const detail = (e as CustomEvent<{ name: string; version: string }>).detail;
    toast(`Registered ${detail.name} version ${detail.version}`);
    onRegistered?.(detail);
  };
  dialog.addEventListener("registered", current);
  dialog.open();
}
