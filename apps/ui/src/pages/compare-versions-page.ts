import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import { mlmodelSummary } from "../artifacts/mlmodel.js";
import { parseYaml } from "../artifacts/parse-yaml.js";
import "../components/error.js";
import "../components/skeleton.js";
import { COMPARE_SECTIONS, compareRows, type VersionFacts, versionsFromQuery } from "../registry/compare-versions.js";
import { mlmodelUrl } from "../registry/model-source.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";

/** The signature of a version's MLmodel file, or undefined when it cannot be read (an unserved location, no file). */
async function loadSignature(source: string): Promise<VersionFacts["signature"]> {
  try {
    const url = await mlmodelUrl(source, client);
    const text = await (await client.transport.requestUrl("GET", url)).text();
    return mlmodelSummary(await parseYaml(text)).signature;
  } catch {
    return undefined;
  }
}

/** One version with its source run and signature; the run or signature missing when they cannot be read. */
async function loadFacts(name: string, version: string): Promise<VersionFacts> {
  const mv = await client.getModelVersion(name, version);
  const [run, signature] = await Promise.all([
    mv.run_id ? client.getRun(mv.run_id).catch(() => undefined) : undefined,
    loadSignature(mv.source ?? ""),
  ]);
  return { version: mv, run, runName: run?.info.run_name || undefined, signature };
}

/**
 * `#/models/:name/compare?versions=1,2,3`: two or more versions of a registered model side by side — stage, aliases,
 * source run, description, tags, the source runs' params and metrics, and the signature — rows that differ marked,
 * "Only differences" hides the rest. MLflow's `/compare-model-versions?name=…&runs={"1":…}` carries the same versions
 * in `runs` (its keys are read too).
 */
export class TlCompareVersionsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    facts: { state: true },
    error: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare facts: VersionFacts[] | undefined;
  declare error: unknown;
  private seq = 0;
  private loadedKey = "";

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .crumbs { font-size: 12.5px; color: var(--tl-muted); margin-bottom: 4px; }
      .crumbs a { color: var(--tl-muted); }
      .toolbar label { font-size: 12.5px; display: inline-flex; gap: 4px; align-items: center; }
      table { font-size: 12.5px; table-layout: fixed; }
      th.key { width: 200px; }
      td, th { overflow-wrap: anywhere; vertical-align: top; }
      tr.section th { background: var(--tl-bg-alt); text-align: left; font-size: 12px; letter-spacing: 0.02em; }
      tr.differs td { background: color-mix(in srgb, var(--tl-warn) 14%, transparent); }
      td.key { color: var(--tl-muted); }
      .chip {
        display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px; font-size: 11.5px;
        background: var(--tl-bg-alt); margin-right: 3px; font-family: var(--tl-mono); font-weight: 400;
      }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.facts = undefined;
    this.error = undefined;
  }

  private get name() {
    return this.params.name ?? "";
  }
  private get versions() {
    return versionsFromQuery(this.query);
  }
  private get onlyDiff() {
    return this.query.get("diff") === "1";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("params") && !changed.has("query")) return;
    const key = `${this.name}|${this.versions.join(",")}`;
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      void this.load();
    }
  }

  private load = async () => {
    const seq = ++this.seq;
    this.facts = undefined;
    this.error = undefined;
    try {
      const facts = await Promise.all(this.versions.map((v) => loadFacts(this.name, v)));
      if (seq === this.seq) this.facts = facts;
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  };

  private setDiff(on: boolean) {
    const q = new URLSearchParams(this.query);
    if (on) q.set("diff", "1");
    else q.delete("diff");
    navigate(`/models/${seg(this.name)}/compare`, q, true);
  }

  private renderTable(facts: VersionFacts[]) {
    const rows = compareRows(facts).filter((r) => !this.onlyDiff || r.differs);
    const n = facts.length;
    return html`<table aria-label="Compared versions">
      <thead>
        <tr>
          <th class="key">Field</th>
          ${facts.map(
            (f) => html`<th scope="col">
              <a href=${href(`/models/${seg(this.name)}/versions/${seg(f.version.version)}`)}>Version ${f.version.version}</a>
              ${(f.version.aliases ?? []).map((a) => html`<span class="chip">@${a}</span>`)}
            </th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${COMPARE_SECTIONS.map((section) => {
          const inSection = rows.filter((r) => r.section === section);
          if (inSection.length === 0) return nothing;
          return html`<tr class="section"><th colspan=${n + 1}>${section}</th></tr>
            ${inSection.map(
              (r) => html`<tr class=${r.differs ? "differs" : ""}>
                <td class="key">${r.key}</td>
                ${r.values.map((v) => html`<td>${v || html`<span class="muted">—</span>`}</td>`)}
              </tr>`,
            )}`;
        })}
      </tbody>
    </table>`;
  }

  override render() {
    const crumbs = html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href=${href("/models")}>Models</a> / <a href=${href(`/models/${seg(this.name)}`)}>${this.name}</a> /
    </nav>`;
    const versions = this.versions;
    const title = html`<h1>Compare ${versions.length} versions of ${this.name}</h1>`;
    if (versions.length < 2) {
      return html`${crumbs}<h1>Compare versions of ${this.name}</h1>
        <p class="muted">Pick two or more versions on the <a href=${href(`/models/${seg(this.name)}`)}>model's page</a>.</p>`;
    }
    if (this.error) return html`${crumbs}${title}<tl-error .error=${this.error} @retry=${this.load}></tl-error>`;
    if (!this.facts) return html`${crumbs}${title}<tl-skeleton .rows=${8} label="Loading versions"></tl-skeleton>`;
    return html`${crumbs}${title}
      <div class="toolbar">
        <label><input type="checkbox" .checked=${this.onlyDiff}
          @change=${(e: Event) => this.setDiff((e.target as HTMLInputElement).checked)} /> Only differences</label>
      </div>
      ${this.renderTable(this.facts)}`;
  }
}
customElements.define("tl-compare-versions-page", TlCompareVersionsPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-compare-versions-page": TlCompareVersionsPage;
  }
}
