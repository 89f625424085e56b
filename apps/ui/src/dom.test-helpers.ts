/** DOM helpers for the element tests (happy-dom). */

/** Creates `tag` with `props`, attaches it to the document and waits for its first render. */
export async function mount<T extends HTMLElement>(tag: string, props: Record<string, unknown>): Promise<T> {
  const el = Object.assign(document.createElement(tag), props) as unknown as T & { updateComplete: Promise<unknown> };
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The visible text of an element's shadow root, white space folded. */
export const shadowText = (el: Element) => (el.shadowRoot?.textContent ?? "").replace(/\s+/g, " ").trim();
