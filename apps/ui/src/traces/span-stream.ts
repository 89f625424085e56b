import type { Span, TraceInfoV3 } from "@tracklite/schemas";

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const COLON = 58;
const COMMA = 44;

/** Before the spans array, inside it, after it. */
type Mode = 0 | 1 | 2;

/**
 * Reads a `traces/get` answer (`{"trace": {"trace_info": {…}, "spans": [{…}, …]}}`) as it arrives, so the first spans
 * can be drawn while the rest of a large trace is still on the wire. A scanner follows strings and nesting across
 * chunks; the complete span objects of each chunk are parsed by one native `JSON.parse` of their slice, and the text
 * around the spans array (the trace info) is kept and parsed at the end. When the answer is laid out otherwise (no
 * `spans` array under `trace`), everything is parsed at the end instead: same result, only not early.
 */
export class SpanStreamParser {
  /** Every span parsed so far, in the order sent. */
  readonly spans: Span[] = [];
  private buf = "";
  /** How far `buf` is scanned. */
  private pos = 0;
  private mode: Mode = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = -1;
  /** The last string read when short enough to be the key `spans`. */
  private lastString: string | undefined;
  private pendingKey: string | undefined;
  /** Start (in `buf`) of the span object being read, −1 between spans. */
  private spanStart = -1;
  private skeleton: string[] = [];

  /** Feeds the next piece of text; returns the spans it completed. */
  push(chunk: string): Span[] {
    const out: Span[] = [];
    this.buf += chunk;
    const b = this.buf;
    let segStart = 0;
    // A span begun in an earlier piece starts this piece's batch.
    let batchFrom = this.mode === 1 && this.spanStart >= 0 ? this.spanStart : -1;
    let batchTo = -1;
    for (let i = this.pos; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          this.lastString = i - this.stringStart <= 8 ? b.slice(this.stringStart, i) : undefined;
        }
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.stringStart = i + 1;
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (this.mode === 1 && this.depth === 3 && c === OPEN_OBJ) {
          this.spanStart = i;
          if (batchFrom < 0) batchFrom = i;
        }
        this.depth++;
        if (this.mode === 0 && c === OPEN_ARR && this.depth === 3 && this.pendingKey === "spans") {
          this.skeleton.push(b.slice(segStart, i + 1));
          segStart = i + 1;
          this.mode = 1;
        }
        this.pendingKey = undefined;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        this.depth--;
        if (this.mode === 1 && c === CLOSE_OBJ && this.depth === 3) {
          batchTo = i + 1;
          this.spanStart = -1;
        } else if (this.mode === 1 && c === CLOSE_ARR && this.depth === 2) {
          this.parseInto(out, b, batchFrom, batchTo);
          batchFrom = -1;
          segStart = i; // the `]` and what follows are the skeleton's
          this.mode = 2;
        }
      } else if (c === COLON) {
        this.pendingKey = this.lastString;
      } else if (c === COMMA) {
        this.pendingKey = undefined;
      }
    }
    let cut: number;
    if (this.mode === 1) {
      this.parseInto(out, b, batchFrom, batchTo);
      cut = this.spanStart >= 0 ? this.spanStart : b.length;
      if (this.spanStart >= 0) this.spanStart -= cut;
    } else {
      // Skeleton text goes aside, except an unfinished string (it may be the key `spans`).
      cut = this.inString ? this.stringStart - 1 : b.length;
      this.skeleton.push(b.slice(segStart, Math.max(segStart, cut)));
    }
    this.buf = b.slice(cut);
    this.pos = b.length - cut;
    if (this.inString) this.stringStart -= cut;
    return out;
  }

  private parseInto(out: Span[], b: string, from: number, to: number) {
    if (from < 0 || to <= from) return;
    const parsed = JSON.parse(`[${b.slice(from, to)}]`) as Span[];
    for (const s of parsed) {
      this.spans.push(s);
      out.push(s);
    }
  }

  /** Ends the stream: the trace info and every span. Throws (a SyntaxError) when the text was not whole JSON. */
  finish(): { trace_info: TraceInfoV3; spans: Span[] } {
    const doc = JSON.parse(this.skeleton.join("") + this.buf) as {
      trace?: { trace_info: TraceInfoV3; spans?: Span[] };
    };
    if (!doc.trace) throw new SyntaxError("traces/get answered without a trace");
    if (this.mode === 0) for (const s of doc.trace.spans ?? []) this.spans.push(s);
    return { trace_info: doc.trace.trace_info, spans: this.spans };
  }
}
