// The run summary in the two forms CI reads besides summary.json: Markdown for a job summary
// ($GITHUB_STEP_SUMMARY), with the sections stages add, and JUnit XML (one test case per stage,
// built with junit-report-builder) for CI test reporters. Both are reporters the engine gives the
// run store; neither knows the store.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import junitModule, { type Builder } from "junit-report-builder";

import { SECTION_FILE, type CachedResult, type RunReporter, type RunSummary, type StageResult } from "./summary.js";

// The package's module.exports is the builder itself; its typings declare it as an ES default
// export, which TypeScript's node16 resolution reads as a property of the module.
const junit = junitModule as unknown as Builder;

const ICON: Record<StageResult["status"], string> = {
  passed: "✅",
  failed: "❌",
  skipped: "⏭️",
  "not-implemented": "🚧",
  pending: "⏳",
  running: "⏳",
};

export function formatDuration(ms: number | null): string {
  if (ms === null) return "";
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "cached from cache/specs/smt (key 0xab…; 5 of 8 SMT verdicts)": where a cached result came from. */
export function describeCached(cached: CachedResult): string {
  const extra = [cached.key && `key ${cached.key}`, cached.detail].filter(Boolean).join("; ");
  return `cached from ${cached.from}${extra ? ` (${extra})` : ""}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(summary: RunSummary, sections: string[] = []): string {
  const lines = [
    `## intentkit pipeline ${summary.runId}`,
    "",
    `- commit: \`${summary.commit}\`${summary.dirty ? " (uncommitted changes)" : ""}`,
    `- buildHash: \`${summary.buildHash ?? "not built"}\``,
    `- state: ${summary.finished ? "finished" : "not finished (continue with `npx hardhat pipeline --resume`)"}`,
    "",
    "| stage | status | duration | details |",
    "| --- | --- | --- | --- |",
  ];
  for (const stage of summary.stages) {
    const outputs = Object.entries(stage.outputs).map(([k, v]) => `${k}: ${v}`);
    const cached = stage.cached ? describeCached(stage.cached) : null;
    const details = [stage.reason, cached, ...outputs].filter(Boolean).join("; ");
    const status = `${ICON[stage.status]} ${stage.status}${stage.cached ? " (cached)" : ""}`;
    lines.push(`| ${stage.name} | ${status} | ${formatDuration(stage.durationMs)} | ${cell(details)} |`);
  }
  for (const section of sections) lines.push("", section.trimEnd());
  return `${lines.join("\n")}\n`;
}

/** The sections stages added (`<stage>/section.md`), in stage order, for stages that finished. */
export async function readSections(runDir: string, summary: RunSummary): Promise<string[]> {
  const sections: string[] = [];
  for (const stage of summary.stages) {
    if (stage.status !== "passed" && stage.status !== "failed") continue;
    const file = path.join(runDir, stage.name, SECTION_FILE);
    if (existsSync(file)) sections.push(await readFile(file, "utf8"));
  }
  return sections;
}

export function renderJunit(summary: RunSummary): string {
  const report = junit.newBuilder().name("intentkit pipeline");
  const seconds = (ms: number | null) => (ms ?? 0) / 1_000;
  const suite = report
    .testSuite()
    .name(`pipeline ${summary.runId}`)
    .timestamp(summary.startedAt)
    .time(seconds(summary.stages.reduce((sum, s) => sum + (s.durationMs ?? 0), 0)))
    .property("buildHash", summary.buildHash ?? "")
    .property("commit", summary.commit);
  for (const stage of summary.stages) {
    const test = suite.testCase().className("pipeline").name(stage.name).time(seconds(stage.durationMs));
    if (stage.buildHash) test.property("buildHash", stage.buildHash);
    if (stage.cached)
      test.property("cached", describeCached(stage.cached)).standardOutput(describeCached(stage.cached));
    switch (stage.status) {
      case "passed":
        break;
      case "failed":
        test.failure(stage.reason ?? "failed");
        break;
      default:
        // JUnit's <skipped> carries no message here: the reason goes to the case's output.
        test
          .skipped()
          .property("status", stage.status)
          .standardOutput(`${stage.status}: ${stage.reason ?? stage.status}`);
    }
  }
  return `${report.build()}\n`;
}

export const markdownReporter: RunReporter = {
  file: "summary.md",
  render: async (summary, runDir) => renderMarkdown(summary, await readSections(runDir, summary)),
};

export const junitReporter: RunReporter = { file: "junit.xml", render: renderJunit };
