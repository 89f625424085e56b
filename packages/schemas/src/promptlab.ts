import * as z from "zod";
import { RunResponse } from "./runs.js";

/**
 * The UI's prompt engineering page saves one evaluated prompt as a run (ajax only). The reference reads the body as
 * plain JSON, not a proto, and checks its fields itself, so the schema accepts any object.
 * @see mlflow/server/handlers.py create_promptlab_run_handler
 */
export const CreatePromptlabRun = z.record(z.string(), z.unknown());

/** A CreateRun answer: the run, finished, with its params and tags. */
export const CreatePromptlabRunResponse = RunResponse;
