// The files the run store renders from every summary it saves, in order: the auditor page last,
// as it links the others.
import { auditorPageReporter } from "./auditor-page.js";
import { junitReporter, markdownReporter } from "./reports.js";
import type { RunReporter } from "./summary.js";

export const RUN_REPORTERS: readonly RunReporter[] = [markdownReporter, junitReporter, auditorPageReporter];
