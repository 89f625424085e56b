import { describe, expect, it } from "vitest";
import { chatMessages } from "./chat.js";

describe("chat messages", () => {
  it("reads OpenAI request messages, with content parts and tool calls", () => {
    expect(
      chatMessages({
        messages: [
          { role: "system", content: "You are terse." },
          {
            role: "user",
            content: [
              { type: "text", text: "Look" },
              { type: "image_url", image_url: {} },
            ],
          },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "1", type: "function", function: { name: "search", arguments: '{"q":"x"}' } }],
          },
          { role: "tool", content: "found", name: "search" },
        ],
      }),
    ).toEqual([
      { role: "system", content: "You are terse.", name: undefined, toolCalls: [] },
      { role: "user", content: "Look\n[image_url]", name: undefined, toolCalls: [] },
      { role: "assistant", content: "", name: undefined, toolCalls: ['search({"q":"x"})'] },
      { role: "tool", content: "found", name: "search", toolCalls: [] },
    ]);
  });

  it("reads completions (choices[].message), bare message lists and lone messages", () => {
    expect(chatMessages({ choices: [{ message: { role: "assistant", content: "Paris." } }] })).toEqual([
      { role: "assistant", content: "Paris.", name: undefined, toolCalls: [] },
    ]);
    expect(chatMessages([{ role: "user", content: "hi" }])?.length).toBe(1);
    expect(chatMessages({ role: "assistant", content: "ok" })?.[0]?.content).toBe("ok");
  });

  it("leaves everything else to the JSON view", () => {
    expect(chatMessages({ question: "What?" })).toBeUndefined();
    expect(chatMessages([{ role: "user", content: "x" }, { page_content: "doc" }])).toBeUndefined();
    expect(chatMessages("text")).toBeUndefined();
    expect(chatMessages({ messages: [] })).toBeUndefined();
    expect(chatMessages({ choices: [] })).toBeUndefined();
  });
});
