/**
 * What the MLmodel view shows, from the parsed YAML of an `MLmodel` file. The signature's `inputs`, `outputs` and
 * `params` are JSON strings inside the YAML (MLflow writes them with `json.dumps`). Pure: tested in mlmodel.test.ts;
 * the YAML parsing itself happens in the caller, which loads the `yaml` package lazily.
 * @see mlflow/models/signature.py ModelSignature.to_dict, mlflow/types/schema.py Schema.to_json
 */

/** One row of a signature table. */
export interface SignatureColumn {
  name: string;
  type: string;
  /** Tensor or param shape, e.g. `(-1, 4)`; "" when it has none. */
  shape: string;
  required: boolean;
  /** A param's default value as JSON; "" for inputs and outputs. */
  default: string;
}

/** A part of the signature: its columns, or why it could not be read. */
export type SignaturePart = { columns: SignatureColumn[] } | { error: string };

export interface MlmodelSummary {
  flavors: { name: string; detail: string }[];
  runId: string;
  modelId: string;
  created: string;
  modelUuid: string;
  signature?: { inputs?: SignaturePart; outputs?: SignaturePart; params?: SignaturePart };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

function shapeText(shape: unknown): string {
  if (!Array.isArray(shape)) return "";
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

/** A column type as text: `double`, `tensor<float64>`, `array<string>`, `object{a: long, b: string}`. */
export function typeText(col: unknown): string {
  if (typeof col === "string") return col;
  if (!isObj(col)) return "";
  const type = str(col.type);
  if (type === "tensor") {
    const spec = isObj(col["tensor-spec"]) ? col["tensor-spec"] : {};
    return `tensor<${str(spec.dtype)}>`;
  }
  if (type === "array") return `array<${typeText(col.items)}>`;
  if (type === "map") return `map<string, ${typeText(col.values)}>`;
  if (type === "object" && isObj(col.properties)) {
    const props = Object.entries(col.properties).map(([k, v]) => `${k}: ${typeText(v)}`);
    return `object{${props.join(", ")}}`;
  }
  return type;
}

function column(raw: unknown, index: number, isParam: boolean): SignatureColumn {
  const c = isObj(raw) ? raw : {};
  const spec = isObj(c["tensor-spec"]) ? c["tensor-spec"] : undefined;
  return {
    name: str(c.name) || (isParam ? "" : `[${index}]`),
    type: typeText(c),
    shape: shapeText(spec ? spec.shape : c.shape),
    required: c.required !== false,
    default: isParam && "default" in c ? JSON.stringify(c.default) : "",
  };
}

/** Reads one signature part: a JSON string (or, from hand-written files, a YAML list) of column specs. */
export function signaturePart(raw: unknown, isParam = false): SignaturePart | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  let list: unknown = raw;
  if (typeof raw === "string") {
    try {
      list = JSON.parse(raw);
    } catch (e) {
      return { error: `Not valid JSON: ${(e as Error).message}` };
    }
  }
  if (!Array.isArray(list)) return { error: "Expected a list of column specs." };
  return { columns: list.map((c, i) => column(c, i, isParam)) };
}

/** The summary of a parsed MLmodel document; anything missing is left empty. */
export function mlmodelSummary(doc: unknown): MlmodelSummary {
  const d = isObj(doc) ? doc : {};
  const flavors = isObj(d.flavors)
    ? Object.entries(d.flavors).map(([name, v]) => {
        const f = isObj(v) ? v : {};
        const version = f[`${name}_version`] ?? f.loader_module ?? f.python_version ?? "";
        return { name, detail: str(version) };
      })
    : [];
  const out: MlmodelSummary = {
    flavors,
    runId: str(d.run_id),
    modelId: str(d.model_id),
    created: str(d.utc_time_created),
    modelUuid: str(d.model_uuid),
  };
  if (isObj(d.signature)) {
    const s = d.signature;
    const signature: NonNullable<MlmodelSummary["signature"]> = {};
    const inputs = signaturePart(s.inputs);
    const outputs = signaturePart(s.outputs);
    const params = signaturePart(s.params, true);
    if (inputs) signature.inputs = inputs;
    if (outputs) signature.outputs = outputs;
    if (params) signature.params = params;
    out.signature = signature;
  }
  return out;
}
