// The run summary in the two forms CI reads besides summary.json: Markdown for a job summary
// ($GITHUB_STEP_SUMMARY) and JUnit XML (one test case per stage) for CI test reporters.
import type { RunSummary, StageResult } from "./run-store.js";

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
    const details = [stage.reason, ...outputs].filter(Boolean).join("; ");
    lines.push(
      `| ${stage.name} | ${ICON[stage.status]} ${stage.status} | ${formatDuration(stage.durationMs)} | ${cell(details)} |`,
    );
  }
  for (const section of sections) lines.push("", section.trimEnd());
  return `${lines.join("\n")}\n`;
}

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function renderJunit(summary: RunSummary): string {
  const count = (status: StageResult["status"]) => summary.stages.filter((s) => s.status === status).length;
  const skipped = summary.stages.length - count("passed") - count("failed");
  const seconds = (ms: number | null) => ((ms ?? 0) / 1_000).toFixed(3);
  const total = summary.stages.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  const cases = summary.stages.map((stage) => {
    const open = `    <testcase classname="pipeline" name="${stage.name}" time="${seconds(stage.durationMs)}">`;
    const reason = xml(stage.reason ?? stage.status);
    switch (stage.status) {
      case "passed":
        return `${open}</testcase>`;
      case "failed":
        return `${open}\n      <failure message="${reason}"/>\n    </testcase>`;
      default:
        return `${open}\n      <skipped message="${xml(stage.status)}: ${reason}"/>\n    </testcase>`;
    }
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="intentkit pipeline" tests="${summary.stages.length}" failures="${count("failed")}" time="${seconds(total)}">`,
    `  <testsuite name="pipeline ${xml(summary.runId)}" tests="${summary.stages.length}" failures="${count("failed")}" skipped="${skipped}" time="${seconds(total)}" timestamp="${summary.startedAt}">`,
    `    <properties><property name="buildHash" value="${summary.buildHash ?? ""}"/><property name="commit" value="${summary.commit}"/></properties>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
