/**
 * The GenAI views (issue 15), one lazily loaded chunk: evaluation datasets and their records, registered judges, and
 * human review (labeling sessions, label schemas, issues). Each route of `router.ts` names one of these pages.
 */
import "./datasets-page.js";
import "./dataset-page.js";
import "./judges-page.js";
import "./review-page.js";
