// The auditor page: reports/pipeline/<run-id>/index.html, one page for one run and so for one
// buildHash. It says what was built (commit, dirty tree, buildHash), how each stage ended, and
// links every piece of evidence the run folder holds: coverage, gas, Slither's SARIF and the
// triage it was held against, the property specs, the deployments, the mainnet gates and rollout,
// and the verification results.
//
// renderAuditorPage is pure: it gets the run's summary, the list of files that exist in the run
// folder (it links nothing else) and the parsed JSON reports. readAuditorInput gathers those from
// a run folder; auditorPageReporter is how the engine has the run store write the page with every
// summary.
//
// Every value on the page comes from files a stage wrote, some from the outside world (a finding's
// description, an explorer's message), so every string is escaped, links go only to files of the
// run folder or to https URLs, and a Content-Security-Policy forbids scripts and remote assets.
// The page is self-contained: inline CSS, no JavaScript, nothing fetched.
import type { Dirent } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import escape from "escape-html";

import type { DeploymentManifest } from "./deploy/manifest.js";
import { describeCached, formatDuration } from "./reports.js";
import type { SpecsReport } from "./specs/report.js";
import type { TriagedFinding } from "./static/triage.js";
import type { RunReporter, RunSummary, StageResult } from "./summary.js";

export const AUDITOR_PAGE = "index.html";

/** static/findings.json, as the static stage writes it. */
export interface StaticFindingsReport {
  gate: string;
  triageFile: string;
  stale: unknown[];
  miscounted: unknown[];
  findings: TriagedFinding[];
}

export interface AuditorPageInput {
  summary: RunSummary;
  /** Files in the run folder, relative to it with "/" separators. The page links only these. */
  files: readonly string[];
  specs: SpecsReport | null;
  findings: StaticFindingsReport | null;
  testnet: DeploymentManifest | null;
  mainnet: DeploymentManifest | null;
  /** mainnet/gates.json, mainnet/rollout.json, verify/verify.json: shown as found. */
  gates: unknown;
  rollout: unknown;
  verify: unknown;
  /** Reports that exist but could not be read: relative path -> why. */
  unreadable: Record<string, string>;
}

/** Run-folder files the page reads, by the stage that writes them. */
export const PAGE_SOURCES = {
  specs: "specs/specs.json",
  findings: "static/findings.json",
  testnet: "testnet/manifest.json",
  mainnet: "mainnet/manifest.json",
  gates: "mainnet/gates.json",
  rollout: "mainnet/rollout.json",
  verify: "verify/verify.json",
} as const;

// ---------------------------------------------------------------------------------------------
// Escaping and links

/** Text and attribute values: the five characters HTML gives meaning to (escape-html). */
export function escapeHtml(value: unknown): string {
  return escape(String(value ?? ""));
}

const text = (value: unknown) => escapeHtml(typeof value === "string" ? value : JSON.stringify(value));

/** A link to a run-folder file, or null when the file does not exist. */
function fileLink(files: ReadonlySet<string>, file: string, label: string = file): string | null {
  if (!files.has(file)) return null;
  // "./" first: a file name cannot be read as a URL scheme (a file named "javascript:x").
  const href = `./${file.split("/").map(encodeURIComponent).join("/")}`;
  return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}

/** An external link, for https URLs only; anything else is shown as text. */
function urlLink(url: unknown, label: string): string {
  if (typeof url !== "string") return escapeHtml(label);
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:")
      return `<a href="${escapeHtml(parsed.href)}" rel="noreferrer">${escapeHtml(label)}</a>`;
  } catch {
    // not a URL: shown as text below
  }
  return escapeHtml(label);
}

const EXPLORERS: Record<number, string> = { 1: "https://etherscan.io", 11155111: "https://sepolia.etherscan.io" };

function addressCell(chainId: number, address: unknown): string {
  const shown = `<code>${escapeHtml(address)}</code>`;
  const explorer = EXPLORERS[chainId];
  if (!explorer || typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) return shown;
  return `<a href="${escapeHtml(`${explorer}/address/${address}`)}" rel="noreferrer">${shown}</a>`;
}

// ---------------------------------------------------------------------------------------------
// Statuses

const GOOD = new Set([
  "passed",
  "ok",
  "proved",
  "held",
  "verified",
  "perfect",
  "match",
  "matched",
  "full",
  "success",
  "done",
  "completed",
  "true",
  "accepted",
]);
const BAD = new Set(["failed", "violated", "vacuous", "mismatch", "error", "false", "rejected", "missing"]);
const NEUTRAL = new Set(["skipped", "not-implemented", "pending", "running", "unknown"]);

type Tone = "good" | "bad" | "neutral" | "other";

function statusBadge(status: unknown, tone?: Tone): string {
  const word = typeof status === "boolean" ? String(status) : String(status ?? "");
  const key = word.toLowerCase();
  const shade = tone ?? (GOOD.has(key) ? "good" : BAD.has(key) ? "bad" : NEUTRAL.has(key) ? "neutral" : "other");
  return `<span class="badge ${shade}">${escapeHtml(word || "?")}</span>`;
}

// ---------------------------------------------------------------------------------------------
// Reports of unknown shape (gates, rollout, verify are written by stages this page does not
// import): arrays of records, or objects holding one, or records keyed by name.

type Row = Record<string, unknown>;

function asRows(value: unknown, listKeys: string[]): Row[] {
  const wrap = (item: unknown): Row =>
    item !== null && typeof item === "object" && !Array.isArray(item) ? (item as Row) : { value: item };
  if (Array.isArray(value)) return value.map(wrap);
  if (value === null || typeof value !== "object") return [];
  const object = value as Row;
  for (const key of listKeys) if (Array.isArray(object[key])) return (object[key] as unknown[]).map(wrap);
  for (const key of listKeys) {
    const inner = object[key];
    if (inner !== null && typeof inner === "object") return asRows(inner, []);
  }
  const entries = Object.entries(object).filter(([, v]) => v !== null && typeof v === "object" && !Array.isArray(v));
  return entries.map(([name, v]) => ({ name, ...(v as Row) }));
}

const pick = (row: Row, keys: string[]) => keys.map((k) => row[k]).find((v) => v !== undefined && v !== null);

function detailsOf(row: Row, shown: string[]): string {
  return Object.entries(row)
    .filter(([k, v]) => !shown.includes(k) && v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `${escapeHtml(k)}: ${k.toLowerCase().endsWith("url") ? urlLink(v, String(v)) : text(v)}`)
    .join("<br>");
}

const NAME_KEYS = ["name", "step", "gate", "title", "id", "action", "contract", "contractName"];
const STATUS_KEYS = ["status", "result", "state", "passed", "ok", "verified"];

function genericTable(rows: Row[]): string {
  const body = rows.map((row, i) => {
    const nameKey = NAME_KEYS.find((k) => row[k] !== undefined);
    const statusKey = STATUS_KEYS.find((k) => row[k] !== undefined);
    const shown = [nameKey, statusKey].filter((k): k is string => k !== undefined);
    return `<tr><td>${i + 1}</td><td>${text(nameKey ? row[nameKey] : "")}</td><td>${statusKey ? statusBadge(row[statusKey]) : ""}</td><td class="details">${detailsOf(row, shown)}</td></tr>`;
  });
  return table(["#", "name", "status", "details"], body);
}

/** One check of verify.json (bytecode, sourcify, explorer): a status word or a record with one. */
function checkCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return statusBadge(value);
  const row = value as Row;
  const status = pick(row, STATUS_KEYS);
  const note = pick(row, ["message", "reason", "detail", "match"]);
  const link = pick(row, ["url", "link"]);
  return [
    status !== undefined ? statusBadge(status) : "",
    note !== undefined && note !== status ? `<div class="note">${text(note)}</div>` : "",
    link !== undefined ? `<div class="note">${urlLink(link, "open")}</div>` : "",
  ].join("");
}

// ---------------------------------------------------------------------------------------------
// Page sections

function table(header: string[], rows: string[]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

const none = (what: string) => `<p class="absent">${escapeHtml(what)}</p>`;

function linkList(files: ReadonlySet<string>, items: Array<[string, string]>): string {
  const links = items.map(([file, label]) => fileLink(files, file, label)).filter((l): l is string => l !== null);
  return links.length > 0 ? `<ul class="links">${links.map((l) => `<li>${l}</li>`).join("")}</ul>` : "";
}

function stageRows(input: AuditorPageInput, files: ReadonlySet<string>): string[] {
  return input.summary.stages.map((stage: StageResult) => {
    const otherBuild =
      stage.buildHash !== null && input.summary.buildHash !== null && stage.buildHash !== input.summary.buildHash
        ? `<div class="warn">for another build: ${escapeHtml(stage.buildHash)}</div>`
        : "";
    // An output naming a file of the run folder ("static/solhint.json (0 errors, ...)") links it.
    const outputs = Object.entries(stage.outputs ?? {}).map(([key, value]) => {
      const [first, ...rest] = String(value).split(" ");
      const link = typeof value === "string" ? fileLink(files, first) : null;
      return `${escapeHtml(key)}: ${link ? [link, ...rest.map(escapeHtml)].join(" ") : text(value)}`;
    });
    const cached = stage.cached
      ? ` ${statusBadge("cached", "neutral")}<div class="note">${escapeHtml(describeCached(stage.cached))}</div>`
      : "";
    return (
      `<tr id="stage-${escapeHtml(stage.name)}"><td>${escapeHtml(stage.name)}</td><td>${statusBadge(stage.status)}${cached}</td>` +
      `<td class="num">${escapeHtml(formatDuration(stage.durationMs))}</td><td class="num">${escapeHtml(stage.attempts)}</td>` +
      `<td>${escapeHtml(stage.reason ?? "")}${otherBuild}</td><td class="details">${outputs.join("<br>")}</td></tr>`
    );
  });
}

function runFacts(summary: RunSummary): string {
  const rows: Array<[string, string]> = [
    ["run", escapeHtml(summary.runId)],
    [
      "commit",
      `<code>${escapeHtml(summary.commit)}</code>${
        summary.dirty
          ? ' <span class="badge bad">dirty</span> <span class="warn">uncommitted changes in the tree: the commit alone does not reproduce this run</span>'
          : ' <span class="badge good">clean</span>'
      }`,
    ],
    ["buildHash", summary.buildHash ? `<code>${escapeHtml(summary.buildHash)}</code>` : none("not built")],
    ["started", escapeHtml(summary.startedAt)],
    ["updated", escapeHtml(summary.updatedAt)],
    [
      "state",
      summary.finished
        ? "finished"
        : '<span class="warn">not finished (under way, or stopped: continue with <code>npx hardhat pipeline --resume</code>)</span>',
    ],
    ["selection", escapeHtml(summary.selection.join(", "))],
    [
      "sessions",
      summary.sessions
        .map((s) => `${escapeHtml(s.startedAt)} <code>${escapeHtml(s.commit)}</code> ${escapeHtml(s.buildHash ?? "")}`)
        .join("<br>"),
    ],
  ];
  return `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</tbody></table>`;
}

function coverageSection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  const lowest = input.summary.stages.find((s) => s.name === "test")?.outputs?.lowestLineCoverage;
  const links = linkList(files, [
    ["test/coverage-html/index.html", "coverage report (HTML)"],
    ["test/lcov.info", "lcov.info"],
    ["test/coverage-check.log", "per-contract threshold check"],
  ]);
  const body = `${lowest !== undefined ? `<p>lowest line coverage of a contract: <b>${text(lowest)}</b></p>` : ""}${links}`;
  return section("coverage", "Coverage", body || none("no coverage in this run"));
}

function gasSection(files: ReadonlySet<string>): string {
  const links = linkList(files, [
    ["test/gas-stats.json", "gas statistics of the mocha suites (gas-stats.json)"],
    ["test/gas-snapshot", "the committed .gas-snapshot the run was checked against"],
    ["test/solidity-tests.log", "Solidity tests and the snapshot check"],
  ]);
  return section("gas", "Gas", links || none("no gas figures in this run"));
}

function staticSection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  const links = linkList(files, [
    ["static/slither.sarif", "Slither findings (SARIF)"],
    ["static/findings.json", "findings held against the triage (findings.json)"],
    ["static/slither.triage.json", "the triage file the run used (slither.triage.json)"],
    ["static/slither.json", "Slither's own JSON"],
    ["static/solhint.json", "solhint security rules (solhint.json)"],
  ]);
  let body = links;
  const report = input.findings;
  if (report && Array.isArray(report.findings)) {
    const rows = report.findings.map((f) => {
      const triage = f.accepted
        ? statusBadge("accepted", "good")
        : f.gating
          ? statusBadge("untriaged", "bad")
          : statusBadge("below gate", "neutral");
      return (
        `<tr><td>${escapeHtml(f.detector)}</td><td>${escapeHtml(f.impact)}</td><td>${escapeHtml(f.confidence)}</td>` +
        `<td><code>${escapeHtml(f.location)}</code><div class="note">${escapeHtml(f.source)}</div>` +
        `<details><summary>description</summary><pre>${escapeHtml(f.description)}</pre></details></td>` +
        `<td>${triage}</td><td class="details">${escapeHtml(f.justification ?? (f.gating ? "no triage entry accepts it: it fails the stage" : "below the gate: reported, not gating"))}</td></tr>`
      );
    });
    const counts = (pred: (f: TriagedFinding) => boolean) => report.findings.filter(pred).length;
    body +=
      `<p>${escapeHtml(report.findings.length)} finding(s): ${counts((f) => f.accepted)} accepted by the triage, ` +
      `${counts((f) => f.gating && !f.accepted)} untriaged at the gate, ${counts((f) => !f.gating && !f.accepted)} below it; gate: ${escapeHtml(report.gate)} and above; ` +
      `triage file <code>${escapeHtml(report.triageFile)}</code>` +
      `${report.stale?.length ? `; <span class="warn">${escapeHtml(report.stale.length)} stale triage entr(ies)</span>` : ""}</p>` +
      (rows.length > 0 ? table(["detector", "impact", "confidence", "location", "triage", "justification"], rows) : "");
  }
  return section("static", "Static analysis", body || none("no static analysis in this run"));
}

function specsSection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  const links = linkList(files, [
    ["specs/specs.json", "specs.json"],
    ["specs/specs.txt", "specs.txt"],
  ]);
  let body = links;
  const properties = input.specs?.properties;
  if (Array.isArray(properties)) {
    const rows = properties.map(
      (p) =>
        `<tr><td>${escapeHtml(p.component)}</td><td><code>${escapeHtml(p.property)}</code><div class="note">${escapeHtml(p.statement)}</div></td>` +
        `<td>${escapeHtml(p.kind)}</td><td>${escapeHtml(p.engine)}${p.engine === "fuzz" ? `<div class="note">${escapeHtml(p.runs ?? "?")} runs × depth ${escapeHtml(p.depth ?? "?")}</div>` : ""}</td>` +
        `<td>${statusBadge(p.result)}${p.counterexample ? `<div class="note">${escapeHtml(p.counterexample)}</div>` : ""}</td></tr>`,
    );
    const tally = new Map<string, number>();
    for (const p of properties) tally.set(p.result, (tally.get(p.result) ?? 0) + 1);
    const counts = [...tally].map(([result, n]) => `${n} ${statusBadge(result)}`).join(" ");
    body += `<p>${escapeHtml(properties.length)} properties: ${counts}</p>`;
    body += table(["component", "property", "kind", "engine", "result"], rows);
    if (input.specs?.legend) {
      const legend = Object.entries(input.specs.legend).map(
        ([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`,
      );
      body += `<dl class="legend">${legend.join("")}</dl>`;
    }
  }
  return section("specs", "Property specs", body || none("no property specs in this run"));
}

function manifestBlock(
  label: string,
  manifest: DeploymentManifest,
  summary: RunSummary,
  file: string,
  files: ReadonlySet<string>,
): string {
  const otherBuild =
    summary.buildHash && manifest.buildHash !== summary.buildHash
      ? ` <span class="warn">not this run's build</span>`
      : "";
  const facts = [
    `network <b>${escapeHtml(manifest.network)}</b>, chain id <b>${escapeHtml(manifest.chainId)}</b>${manifest.local ? " (a local node the pipeline spawned)" : ""}`,
    `buildHash <code>${escapeHtml(manifest.buildHash)}</code>${otherBuild}`,
    `deployer <code>${escapeHtml(manifest.deployer)}</code>, Ignition deployment <code>${escapeHtml(manifest.deploymentId)}</code>, parameters <code>${escapeHtml(manifest.parametersFile)}</code>`,
    `recorded ${escapeHtml(manifest.recordedAt)}; ${fileLink(files, file, "manifest.json") ?? ""}`,
  ];
  const chainId = Number(manifest.chainId);
  const rows = Object.entries(manifest.contracts ?? {}).map(
    ([name, c]) =>
      `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(c.contractName)}<div class="note">${escapeHtml(c.sourceName)}</div></td>` +
      `<td>${addressCell(chainId, c.address)}</td><td>${c.deployable ? "yes" : "no (mock or helper)"}</td>` +
      `<td class="num">${escapeHtml(c.blockNumber)}</td><td><code class="hash">${escapeHtml(c.transactionHash)}</code></td></tr>`,
  );
  return (
    `<h3>${escapeHtml(label)}</h3><ul class="facts">${facts.map((f) => `<li>${f}</li>`).join("")}</ul>` +
    table(["name", "contract", "address", "deployable", "block", "transaction"], rows)
  );
}

function deploymentsSection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  const blocks: string[] = [];
  if (input.testnet) blocks.push(manifestBlock("Testnet", input.testnet, input.summary, PAGE_SOURCES.testnet, files));
  if (input.mainnet) blocks.push(manifestBlock("Mainnet", input.mainnet, input.summary, PAGE_SOURCES.mainnet, files));
  const integration = linkList(files, [
    ["integration/integration.log", "integration suite log"],
    ["integration/junit.xml", "integration suite JUnit"],
  ]);
  if (integration) blocks.push(`<h3>Integration</h3>${integration}`);
  return section("deployments", "Deployments", blocks.join("") || none("no deployment in this run"));
}

function mainnetSection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  const parts: string[] = [];
  const gates = asRows(input.gates, ["gates", "checks", "results"]);
  if (gates.length > 0 || files.has(PAGE_SOURCES.gates)) {
    parts.push(
      `<h3>Gates ${fileLink(files, PAGE_SOURCES.gates, "gates.json") ?? ""}</h3>${gates.length > 0 ? genericTable(gates) : none("no gate records")}`,
    );
  }
  const rollout = asRows(input.rollout, ["steps", "rollout", "actions"]);
  if (rollout.length > 0 || files.has(PAGE_SOURCES.rollout)) {
    parts.push(
      `<h3>Rollout steps ${fileLink(files, PAGE_SOURCES.rollout, "rollout.json") ?? ""}</h3>${rollout.length > 0 ? genericTable(rollout) : none("no rollout steps")}`,
    );
  }
  return section("mainnet", "Mainnet gates and rollout", parts.join("") || none("no mainnet rollout in this run"));
}

function verifySection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  const rows = asRows(input.verify, ["contracts", "results", "verifications"]);
  if (rows.length === 0) {
    const link = linkList(files, [[PAGE_SOURCES.verify, "verify.json"]]);
    return section("verify", "Verification", link || none("no verification in this run"));
  }
  const body = rows.map((row) => {
    const name = pick(row, ["name", "contract", "contractName"]);
    const address = pick(row, ["address"]);
    const chainId = Number(pick(row, ["chainId"]) ?? input.mainnet?.chainId ?? NaN);
    const shown = [
      "name",
      "contract",
      "contractName",
      "address",
      "chainId",
      "bytecode",
      "sourcify",
      "explorer",
      "etherscan",
    ];
    return (
      `<tr><td>${text(name ?? "")}</td><td>${address !== undefined ? addressCell(chainId, address) : ""}</td>` +
      `<td>${checkCell(row.bytecode)}</td><td>${checkCell(row.sourcify)}</td><td>${checkCell(row.explorer ?? row.etherscan)}</td>` +
      `<td class="details">${detailsOf(row, shown)}</td></tr>`
    );
  });
  return section(
    "verify",
    "Verification",
    `${linkList(files, [[PAGE_SOURCES.verify, "verify.json"]])}${table(["contract", "address", "bytecode", "sourcify", "explorer", "details"], body)}`,
  );
}

function logsSection(input: AuditorPageInput, files: ReadonlySet<string>): string {
  // The run's own logs (a spawned chain's, say) and each stage's, in stage order.
  const logsIn = (prefix: string) =>
    [...files]
      .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes("/") && f.endsWith(".log"))
      .sort();
  const groups = [
    { label: "run", prefix: "" },
    ...input.summary.stages.map((s) => ({ label: s.name, prefix: `${s.name}/` })),
  ]
    .map(({ label, prefix }) => {
      const logs = logsIn(prefix);
      return logs.length > 0
        ? `<li>${escapeHtml(label)}: ${logs.map((f) => fileLink(files, f, f.slice(prefix.length))).join(", ")}</li>`
        : "";
    })
    .join("");
  const top = linkList(files, [
    ["summary.json", "summary.json"],
    ["summary.md", "summary.md"],
    ["junit.xml", "junit.xml"],
    ["build/build-identity.json", "build identity: compiler, settings, each deployable contract's bytecode hash"],
  ]);
  return section("files", "Run files and logs", `${top}${groups ? `<ul class="links">${groups}</ul>` : ""}`);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}h3{font-size:1rem;margin:1.25rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
table.facts th{width:9rem}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}.num{text-align:right;white-space:nowrap}
.details,.note{font-size:12px;color:#57606a}.note{margin-top:.15rem}.warn{color:#9a6700;font-weight:600}.absent{color:#57606a;font-style:italic}
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:12px;font-weight:600;border:1px solid}
.good{background:#dafbe1;color:#116329;border-color:#4ac26b}.bad{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.neutral{background:#f6f8fa;color:#57606a;border-color:#d0d7de}.other{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
details summary{cursor:pointer;font-size:12px;color:#57606a}pre{white-space:pre-wrap;font-size:12px;margin:.25rem 0}
ul.links,ul.facts{margin:.25rem 0;padding-left:1.25rem}dl.legend{font-size:12px;color:#57606a}dl.legend dt{font-weight:600}dl.legend dd{margin:0 0 .25rem 1rem}
nav a{margin-right:.75rem}
`;

/** The page for one run folder. Pure: the same input gives the same HTML. */
export function renderAuditorPage(input: AuditorPageInput): string {
  const files = new Set(input.files);
  const { summary } = input;
  const unreadable = Object.entries(input.unreadable);
  const sections = [
    section("run", "Run", runFacts(summary)),
    section(
      "stages",
      "Stages",
      table(["stage", "status", "duration", "attempts", "reason", "outputs"], stageRows(input, files)),
    ),
    coverageSection(input, files),
    gasSection(files),
    staticSection(input, files),
    specsSection(input, files),
    deploymentsSection(input, files),
    mainnetSection(input, files),
    verifySection(input, files),
    logsSection(input, files),
  ];
  if (unreadable.length > 0) {
    const items = unreadable.map(([file, why]) => `<li><code>${escapeHtml(file)}</code>: ${escapeHtml(why)}</li>`);
    sections.splice(
      1,
      0,
      section("unreadable", "Reports that could not be read", `<ul class="warn">${items.join("")}</ul>`),
    );
  }
  const nav = ["run", "stages", "coverage", "gas", "static", "specs", "deployments", "mainnet", "verify", "files"]
    .map((id) => `<a href="#${id}">${id}</a>`)
    .join("");
  const title = `intentkit pipeline ${summary.runId}`;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No scripts, no remote anything: only the inline style below may apply.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE.trim()}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${escapeHtml(title)}</h1><p>buildHash <code>${escapeHtml(summary.buildHash ?? "not built")}</code> · commit <code>${escapeHtml(summary.commit)}</code>${summary.dirty ? ' <span class="badge bad">dirty</span>' : ""}</p><nav>${nav}</nav></header>`,
    "<main>",
    ...sections,
    "</main>",
    `<footer><p class="note">Written by the pipeline at ${escapeHtml(summary.updatedAt)} from the files of this run folder; it links only files that exist in it.</p></footer>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** A page that says the real one could not be made, so index.html is never missing or stale. */
export function renderFallbackPage(summary: RunSummary, error: unknown): string {
  const title = `intentkit pipeline ${summary.runId}`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`,
    `<title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>The auditor page could not be rendered (${escapeHtml((error as Error)?.message ?? String(error))}). Read <a href="./summary.md">summary.md</a> and <a href="./summary.json">summary.json</a>.</p>`,
    "</body></html>",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Gathering the input from a run folder

/** Every file under the run folder, relative, with "/" separators (temporary files left out). */
async function listFiles(runDir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(runDir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith(".tmp"))
    .map((e) => path.relative(runDir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

export async function readAuditorInput(runDir: string, summary: RunSummary): Promise<AuditorPageInput> {
  const files = await listFiles(runDir);
  const present = new Set(files);
  const unreadable: Record<string, string> = {};
  const json = async <T>(file: string): Promise<T | null> => {
    if (!present.has(file)) return null;
    try {
      return JSON.parse(await readFile(path.join(runDir, file), "utf8")) as T;
    } catch (error) {
      unreadable[file] = (error as Error).message;
      return null;
    }
  };
  return {
    summary,
    files,
    specs: await json<SpecsReport>(PAGE_SOURCES.specs),
    findings: await json<StaticFindingsReport>(PAGE_SOURCES.findings),
    testnet: await json<DeploymentManifest>(PAGE_SOURCES.testnet),
    mainnet: await json<DeploymentManifest>(PAGE_SOURCES.mainnet),
    gates: await json<unknown>(PAGE_SOURCES.gates),
    rollout: await json<unknown>(PAGE_SOURCES.rollout),
    verify: await json<unknown>(PAGE_SOURCES.verify),
    unreadable,
  };
}

/** readAuditorInput + renderAuditorPage; a page that says why, should either fail. */
export async function auditorPageFor(runDir: string, summary: RunSummary): Promise<string> {
  try {
    return renderAuditorPage(await readAuditorInput(runDir, summary));
  } catch (error) {
    return renderFallbackPage(summary, error);
  }
}

export const auditorPageReporter: RunReporter = {
  file: AUDITOR_PAGE,
  render: (summary, runDir) => auditorPageFor(runDir, summary),
};
