// specs.json and the two human tables of it: plain text for the terminal, Markdown for
// summary.md. One row per property, in spec order.
import { formatDuration } from "../reports.js";
import type { Engine, PropertyResult } from "./types.js";

export interface EngineTiming {
  engine: Engine;
  specs: number;
  properties: number;
  durationMs: number;
  /** Properties whose result came from the specs cache (not checked again in this run). */
  cached: number;
}

export interface SpecsReport {
  buildHash: string;
  /** What each result means; auditors read this file without the README. */
  legend: Record<PropertyResult["result"], string>;
  engines: EngineTiming[];
  properties: PropertyResult[];
  /** The fuzz harnesses' compilation: its inputs' hash, and whether it came from the specs cache. */
  fuzzBuild: { hash: string; cached: boolean } | null;
}

export const LEGEND: SpecsReport["legend"] = {
  proved:
    "the SMTChecker (CHC engine) reported every assertion of the property safe: it holds for all inputs and states",
  held: "the fuzzer found no violation in the runs and depth recorded; evidence, not proof",
  violated: "a counterexample was found (see counterexample)",
  unknown:
    "neither proved nor refuted (solver timeout, unsupported feature, or the budget ran out); never counted as proved",
  vacuous: "the rule's postcondition point is unreachable (its preconditions exclude every input): it checks nothing",
};

export const SPECS_REPORT = "specs.json";

function runsAndDepth(p: PropertyResult): string {
  return p.engine === "fuzz" ? `${p.runs ?? "?"} × ${p.depth ?? "?"}` : "";
}

export function tallies(properties: PropertyResult[]): Record<PropertyResult["result"], number> {
  const counts = { proved: 0, held: 0, violated: 0, unknown: 0, vacuous: 0 };
  for (const p of properties) counts[p.result]++;
  return counts;
}

export function talliesText(properties: PropertyResult[]): string {
  const counts = tallies(properties);
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([result, n]) => `${n} ${result}`);
  const cached = properties.filter((p) => p.cached).length;
  return `${properties.length} properties (${parts.join(", ")})${cached > 0 ? `, ${cached} from the specs cache` : ""}`;
}

const cachedMark = (p: PropertyResult) => (p.cached ? "cached" : "");

/** The fuzz verdicts are always reached anew; only the harnesses' compilation may be cached. */
const fuzzBuildNote = (report: SpecsReport) =>
  report.fuzzBuild?.cached ? "; fuzz harnesses' compilation from the specs cache" : "";

export function renderSpecsTable(report: SpecsReport): string[] {
  const rows = report.properties.map((p) => [
    p.component,
    p.property,
    p.kind,
    p.engine,
    p.result,
    runsAndDepth(p),
    formatDuration(p.durationMs),
    cachedMark(p),
  ]);
  const header = ["component", "property", "kind", "engine", "result", "runs × depth", "time", "cached"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const engines = report.engines.map(
    (e) =>
      `${e.engine}: ${e.properties} properties in ${e.specs} spec(s), ${formatDuration(e.durationMs)}${e.cached > 0 ? ` (${e.cached} cached)` : ""}`,
  );
  return [
    line(header),
    ...rows.map(line),
    "",
    `${talliesText(report.properties)}; ${engines.join("; ")}${fuzzBuildNote(report)}`,
  ];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderSpecsMarkdown(report: SpecsReport): string {
  const lines = [
    "### Property specs",
    "",
    `${talliesText(report.properties)}. ${report.engines
      .map(
        (e) =>
          `${e.engine}: ${formatDuration(e.durationMs)} for ${e.properties} properties${e.cached > 0 ? ` (${e.cached} cached)` : ""}`,
      )
      .join("; ")}${fuzzBuildNote(report)}.`,
    "",
    "| component | property | kind | engine | result | runs × depth | time | cached | statement |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const p of report.properties) {
    lines.push(
      `| ${p.component} | \`${p.property}\` | ${p.kind} | ${p.engine} | ${p.result} | ${runsAndDepth(p)} | ${formatDuration(p.durationMs)} | ${cachedMark(p)} | ${cell(p.statement)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
