/**
 * Spotting chat conversations in span inputs and outputs, so they read as a conversation instead of JSON: OpenAI's
 * shapes (a `messages` array of `{role, content}`, a completion's `choices[].message`, a lone message), with content
 * as a string or as parts (`[{type: "text", text}]`), and tool calls. Pure functions.
 */

export interface ChatMessage {
  role: string;
  content: string;
  name?: string;
  /** `name(arguments)` of each tool call. */
  toolCalls: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function contentText(c: unknown): string | undefined {
  if (typeof c === "string") return c;
  if (c === null || c === undefined) return "";
  if (Array.isArray(c)) {
    const parts = c.map((p) => {
      if (typeof p === "string") return p;
      if (isObj(p) && typeof p.text === "string") return p.text;
      if (isObj(p) && typeof p.type === "string") return `[${p.type}]`;
      return JSON.stringify(p);
    });
    return parts.join("\n");
  }
  return undefined;
}

function toMessage(m: unknown): ChatMessage | undefined {
  if (!isObj(m) || typeof m.role !== "string") return undefined;
  const content = contentText(m.content);
  if (content === undefined) return undefined;
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  const toolCalls = calls.map((c) => {
    const f = isObj(c) && isObj(c.function) ? c.function : undefined;
    const args = typeof f?.arguments === "string" ? f.arguments : JSON.stringify(f?.arguments ?? {});
    return `${String(f?.name ?? "tool")}(${args})`;
  });
  return { role: m.role, content, name: typeof m.name === "string" ? m.name : undefined, toolCalls };
}

function list(v: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: ChatMessage[] = [];
  for (const m of v) {
    const msg = toMessage(m);
    if (!msg) return undefined;
    out.push(msg);
  }
  return out;
}

/** The conversation in a value, or undefined when it is not one. */
export function chatMessages(v: unknown): ChatMessage[] | undefined {
  const direct = list(v);
  if (direct) return direct;
  if (!isObj(v)) return undefined;
  const fromMessages = list(v.messages);
  if (fromMessages) return fromMessages;
  if (Array.isArray(v.choices)) {
    const msgs = v.choices.map((c) => (isObj(c) ? toMessage(c.message) : undefined));
    if (msgs.length > 0 && msgs.every((m) => m)) return msgs as ChatMessage[];
  }
  const one = toMessage(v);
  return one ? [one] : undefined;
}
