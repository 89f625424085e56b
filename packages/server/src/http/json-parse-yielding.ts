/**
 * JSON.parse for large request bodies that gives the event loop back every few milliseconds. One JSON.parse of a
 * 10 MB log-batch holds a JavaScript server's only thread for a quarter of a second (and moving the parse to a worker
 * does not help: copying the result back costs more than parsing). This parser reads the text in slices of about
 * {@link SLICE_MS} ms and waits a macrotask between them, so small requests are served meanwhile; strings are still
 * decoded by the native JSON.parse, one at a time.
 *
 * It reads what `parseJsonLeniently` reads: strict JSON plus the bare `NaN`, `Infinity` and `-Infinity` tokens
 * Python's json module writes, which become those strings. Text that is not JSON gives undefined. It keeps no
 * recursion, so any nesting depth is safe.
 */

const SLICE_MS = 4;
/** Checking the clock is not free: once per this many tokens. */
const CHECK_EVERY = 512;

/** What the parser expects next. */
const State = { Value: 0, FirstKey: 1, NextKey: 2, FirstItem: 3, After: 4, End: 5 } as const;
type State = (typeof State)[keyof typeof State];

interface Frame {
  /** The array or object being filled. */
  value: unknown[] | Record<string, unknown>;
  isArray: boolean;
  /** The key the next value of an object goes to. */
  key: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** A backslash or a control character (which JSON refuses unescaped): the string needs JSON.parse. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const NEEDS_DECODING = /[\\\u0000-\u001f]/;

const fail = (): never => {
  throw new SyntaxError("not JSON");
};

class Parser {
  private i = 0;
  private state: State = State.Value;
  private readonly stack: Frame[] = [];
  result: unknown;

  constructor(private readonly text: string) {}

  /** "more" while text is left to read; "done" at the end of a value followed by nothing but space. */
  progress(): "more" | "done" | "invalid" {
    if (this.state !== State.End) return "more";
    return this.skipSpace() === this.text.length ? "done" : "invalid";
  }

  private skipSpace(): number {
    const t = this.text;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
    return i;
  }

  private readString(): string {
    const t = this.text;
    const start = this.i;
    let from = start + 1;
    for (;;) {
      const end = t.indexOf('"', from);
      if (end < 0) fail();
      let slashes = 0;
      for (let k = end - 1; t.charCodeAt(k) === 0x5c; k--) slashes++;
      if (slashes % 2 === 1) {
        from = end + 1;
        continue;
      }
      this.i = end + 1;
      const raw = t.slice(start + 1, end);
      return NEEDS_DECODING.test(raw) ? (JSON.parse(t.slice(start, end + 1)) as string) : raw;
    }
  }

  private emit(value: unknown): void {
    const top = this.stack.at(-1);
    if (!top) {
      this.result = value;
      this.state = State.End;
      return;
    }
    if (top.isArray) (top.value as unknown[]).push(value);
    else if (top.key === "__proto__")
      Object.defineProperty(top.value, "__proto__", { value, enumerable: true, writable: true, configurable: true });
    else (top.value as Record<string, unknown>)[top.key] = value;
    this.state = State.After;
  }

  private readKey(frame: Frame): void {
    if (this.text.charCodeAt(this.i) !== 0x22) fail();
    frame.key = this.readString();
    this.skipSpace();
    if (this.text.charCodeAt(this.i) !== 0x3a) fail();
    this.i++;
    this.state = State.Value;
  }

  private readScalar(): void {
    const t = this.text;
    const i = this.i;
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      this.emit(this.readString());
      return;
    }
    for (const [word, value] of WORDS) {
      if (t.startsWith(word, i)) {
        this.i = i + word.length;
        this.emit(value);
        return;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(t);
    if (!m) fail();
    this.i = i + (m as RegExpExecArray)[0].length;
    this.emit(Number((m as RegExpExecArray)[0]));
  }

  /** Reads until the text is done or `deadline` (performance.now()) has passed. */
  run(deadline: number): void {
    const t = this.text;
    for (let n = 1; this.state !== State.End; n++) {
      if (n % CHECK_EVERY === 0 && performance.now() > deadline) return;
      const i = this.skipSpace();
      const c = t.charCodeAt(i);
      const top = this.stack.at(-1) as Frame;
      switch (this.state) {
        case State.Value:
          if (c === 0x7b || c === 0x5b) {
            this.i++;
            const isArray = c === 0x5b;
            this.stack.push({ value: isArray ? [] : {}, isArray, key: "" });
            this.state = isArray ? State.FirstItem : State.FirstKey;
          } else this.readScalar();
          break;
        case State.FirstKey:
          if (c === 0x7d) {
            this.i++;
            this.emit((this.stack.pop() as Frame).value);
          } else this.readKey(top);
          break;
        case State.NextKey:
          this.readKey(top);
          break;
        case State.FirstItem:
          if (c === 0x5d) {
            this.i++;
            this.emit((this.stack.pop() as Frame).value);
          } else this.state = State.Value;
          break;
        case State.After:
          this.i++;
          if (c === 0x2c) this.state = top.isArray ? State.Value : State.NextKey;
          else if (c === (top.isArray ? 0x5d : 0x7d)) this.emit((this.stack.pop() as Frame).value);
          else fail();
          break;
      }
    }
  }
}

const WORDS: readonly (readonly [string, unknown])[] = [
  ["true", true],
  ["false", false],
  ["null", null],
  ["NaN", "NaN"],
  ["Infinity", "Infinity"],
  ["-Infinity", "-Infinity"],
];

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The parsed text, or undefined when it is not JSON; yields to other work between slices of a few ms. */
export async function parseJsonYielding(text: string): Promise<unknown> {
  if (text.trim() === "") return undefined;
  const parser = new Parser(text);
  try {
    for (;;) {
      parser.run(performance.now() + SLICE_MS);
      const progress = parser.progress();
      if (progress === "done") return parser.result;
      if (progress === "invalid") return undefined; // text after the value
      await macrotask();
    }
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
