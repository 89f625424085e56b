import { dictGet, type PyValue, pyJsonLoads } from "./any-value.js";

/** The reference's preview length outside Databricks. @see mlflow/tracing/constant.py */
export const PREVIEW_MAX_LENGTH = 1000;

const isMessage = (v: PyValue | undefined): boolean =>
  v?.t === "dict" && dictGet(v, "role") !== undefined && dictGet(v, "content") !== undefined;

function truthyList(v: PyValue | undefined): readonly PyValue[] | undefined {
  return v?.t === "list" && v.v.length > 0 ? v.v : undefined;
}

/** Chat messages in an OpenAI-style request or response. @see mlflow/tracing/utils/truncation.py _try_extract_messages */
function extractMessages(obj: PyValue | undefined): PyValue[] | undefined {
  if (obj?.t !== "dict") return undefined;
  const messages = truthyList(dictGet(obj, "messages"));
  if (messages) return messages.filter(isMessage);
  const choices = truthyList(dictGet(obj, "choices"));
  const first = choices?.[0];
  if (first?.t === "dict") {
    const msg = dictGet(first, "message");
    if (msg && isMessage(msg)) return [msg];
  }
  const input = truthyList(dictGet(obj, "input"));
  if (input) return input.filter(isMessage);
  const output = truthyList(dictGet(obj, "output"));
  if (output) return output.filter(isMessage);
  const request = dictGet(obj, "request");
  if (request !== undefined || obj.v.some(([k]) => k === "request")) return extractMessages(request);
  return undefined;
}

function textContent(message: PyValue | undefined): string | undefined {
  const content = dictGet(message, "content");
  if (content?.t === "list") {
    for (const part of content.v) {
      if (part.t === "str") return part.v;
      if (part.t === "dict") {
        const type = dictGet(part, "type");
        if (type?.t === "str" && (type.v === "text" || type.v === "output_text")) {
          const text = dictGet(part, "text");
          return text?.t === "str" ? text.v : undefined;
        }
      }
    }
    return undefined;
  }
  return content?.t === "str" ? content.v : "";
}

/**
 * A trace's request or response preview from its root span's stored inputs/outputs text: the last message of the
 * role for chat payloads, else the text itself, cut to 1000 code points ("..." included).
 * @see mlflow/tracing/utils/truncation.py _get_truncated_preview
 */
export function truncatedPreview(text: string, role: "user" | "assistant"): string {
  const obj = pyJsonLoads(text);
  let content: string | undefined;
  if (obj) {
    const messages = extractMessages(obj);
    if (messages && messages.length > 0) {
      const msg = [...messages].reverse().find((m) => {
        const r = dictGet(m, "role");
        return r?.t === "str" && r.v === role;
      });
      content = textContent(msg ?? messages[messages.length - 1]);
    }
  }
  const out = content || text;
  const points = Array.from(out);
  if (points.length <= PREVIEW_MAX_LENGTH) return out;
  return `${points.slice(0, PREVIEW_MAX_LENGTH - 3).join("")}...`;
}
