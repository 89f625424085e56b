import type { Span } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import "../components/copy.js";
import { formatTime } from "../lib/format.js";
import { shared } from "../styles.js";
import { type ChatMessage, chatMessages } from "./chat.js";
import { formatLatency } from "./trace-info.js";
import "./json-view.js";
import {
  exceptionOf,
  idHex,
  nanosToMs,
  SPAN_INPUTS,
  SPAN_OUTPUTS,
  SPAN_TYPE,
  type SpanEventView,
  spanAttributes,
  spanEvents,
  spanStatus,
} from "./spans.js";

/**
 * One span's details: inputs and outputs (chat messages as a conversation, other values as folded JSON), exceptions
 * (type, message, stack trace), other events and the remaining attributes. Attributes are decoded only for the span
 * shown.
 */
export class TlSpanDetail extends LitElement {
  static override properties = { span: { attribute: false } };
  declare span: Span | undefined;
  private attrs: Record<string, unknown> = {};
  private events: SpanEventView[] = [];

  static override styles = [
    shared,
    css`
      :host { display: block; font-size: 13px; }
      header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
      header h2 { margin: 0; font-size: 15px; overflow-wrap: anywhere; }
      .type { font-size: 11px; padding: 0 6px; border-radius: 4px; background: var(--tl-bg-alt); border: 1px solid var(--tl-border); }
      .facts { color: var(--tl-muted); font-size: 12px; display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
      .err { color: var(--tl-danger); }
      section { margin: 10px 0; }
      h3 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--tl-muted); margin: 0 0 4px; }
      pre {
        margin: 0; padding: 8px; background: var(--tl-bg-alt); border: 1px solid var(--tl-border); border-radius: var(--tl-radius);
        font: 12px/1.5 var(--tl-mono); white-space: pre-wrap; overflow-wrap: anywhere; max-height: 360px; overflow: auto;
      }
      .chat { display: flex; flex-direction: column; gap: 6px; }
      .msg { border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 6px 8px; background: var(--tl-bg); }
      .msg .role { font-size: 11px; font-weight: 600; text-transform: uppercase; color: var(--tl-muted); letter-spacing: 0.04em; }
      .msg.user { background: color-mix(in srgb, var(--tl-accent) 7%, var(--tl-bg)); }
      .msg.assistant { background: color-mix(in srgb, var(--tl-ok) 7%, var(--tl-bg)); }
      .msg.system { background: var(--tl-bg-alt); }
      .msg .content { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 2px; }
      .msg .tool { font: 12px var(--tl-mono); color: var(--tl-muted); }
      .exception { border: 1px solid var(--tl-danger); border-radius: var(--tl-radius); padding: 8px; margin-bottom: 6px; }
      .exception .what { color: var(--tl-danger); font-weight: 600; margin-bottom: 4px; overflow-wrap: anywhere; }
      table { font-size: 12px; }
      td.k { font-family: var(--tl-mono); white-space: nowrap; width: 1%; }
      td { overflow-wrap: anywhere; }
    `,
  ];

  constructor() {
    super();
    this.span = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("span")) {
      this.attrs = this.span ? spanAttributes(this.span) : {};
      this.events = this.span ? spanEvents(this.span) : [];
    }
  }

  private renderChat(msgs: ChatMessage[]) {
    return html`<div class="chat" role="list" aria-label="Conversation">
      ${msgs.map(
        (m) => html`<div class="msg ${m.role}" role="listitem">
          <div class="role">${m.role}${m.name ? ` · ${m.name}` : ""}</div>
          ${m.content ? html`<div class="content">${m.content}</div>` : nothing}
          ${m.toolCalls.map((c) => html`<div class="tool">→ ${c}</div>`)}
        </div>`,
      )}
    </div>`;
  }

  private renderValue(v: unknown): TemplateResult {
    const chat = chatMessages(v);
    if (chat) return this.renderChat(chat);
    if (typeof v === "string") return html`<pre>${v}</pre>`;
    if (v === null || typeof v !== "object") return html`<pre>${JSON.stringify(v)}</pre>`;
    return html`<tl-json-view .value=${v}></tl-json-view>`;
  }

  private renderIo(title: string, key: string) {
    if (!(key in this.attrs)) return nothing;
    return html`<section aria-label=${title}><h3>${title}</h3>${this.renderValue(this.attrs[key])}</section>`;
  }

  override render() {
    const s = this.span;
    if (!s) return html`<p class="muted">Select a span to see its inputs, outputs and attributes.</p>`;
    const status = spanStatus(s);
    const start = nanosToMs(s.start_time_unix_nano);
    const end = nanosToMs(s.end_time_unix_nano);
    const type = this.attrs[SPAN_TYPE];
    const exceptions = this.events.map(exceptionOf).filter((e) => e !== undefined);
    const others = this.events.filter((e) => e.name !== "exception");
    const rest = Object.entries(this.attrs).filter(([k]) => k !== SPAN_INPUTS && k !== SPAN_OUTPUTS);
    return html`<header>
        <h2>${s.name ?? ""}</h2>
        ${typeof type === "string" && type ? html`<span class="type">${type}</span>` : nothing}
        ${status === "ERROR" ? html`<span class="err" title=${s.status?.message ?? ""}>✕ Error</span>` : nothing}
      </header>
      <div class="facts">
        <span title="Duration">${Number.isFinite(end) ? formatLatency(end - start) : "running"}</span>
        <span title="Start">${formatTime(start)}</span>
        <span>Span <tl-copy .value=${idHex(s.span_id)} .short=${16}></tl-copy></span>
      </div>
      ${status === "ERROR" && s.status?.message ? html`<p class="err">${s.status.message}</p>` : nothing}
      ${this.renderIo("Inputs", SPAN_INPUTS)}
      ${this.renderIo("Outputs", SPAN_OUTPUTS)}
      ${
        exceptions.length
          ? html`<section aria-label="Exceptions"><h3>Exceptions</h3>
            ${exceptions.map(
              (e) => html`<div class="exception">
                <div class="what">${e.type ? `${e.type}: ` : ""}${e.message}</div>
                ${e.stacktrace ? html`<pre>${e.stacktrace}</pre>` : nothing}
              </div>`,
            )}</section>`
          : nothing
      }
      ${
        others.length
          ? html`<section aria-label="Events"><h3>Events</h3>
            <table><tbody>${others.map(
              (e) => html`<tr><td class="k">${e.name}</td><td>${formatTime(e.timeMs)}</td>
                <td>${Object.keys(e.attributes).length ? html`<tl-json-view .value=${e.attributes} .open=${1}></tl-json-view>` : nothing}</td></tr>`,
            )}</tbody></table></section>`
          : nothing
      }
      ${
        rest.length
          ? html`<section aria-label="Attributes"><h3>Attributes</h3>
            <table><tbody>${rest.map(
              ([k, v]) =>
                html`<tr><td class="k">${k}</td><td>${
                  v !== null && typeof v === "object"
                    ? html`<tl-json-view .value=${v} .open=${0}></tl-json-view>`
                    : html`<span class="mono">${typeof v === "string" ? v : JSON.stringify(v)}</span>`
                }</td></tr>`,
            )}</tbody></table></section>`
          : nothing
      }`;
  }
}
customElements.define("tl-span-detail", TlSpanDetail);

declare global {
  interface HTMLElementTagNameMap {
    "tl-span-detail": TlSpanDetail;
  }
}
