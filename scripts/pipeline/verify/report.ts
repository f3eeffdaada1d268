// verify.json and the two human tables of it: plain text for the terminal, Markdown for
// summary.md. One row per contract, in manifest order.
import { writeFile } from "node:fs/promises";

import { formatDuration } from "../reports.js";
import { immutables, type BytecodeResult } from "./bytecode.js";
import type { ExplorerResult } from "./explorer.js";
import type { SourcifyResult } from "./sourcify.js";

export const VERIFY_REPORT = "verify.json";

export interface ContractVerification {
  /** The manifest's key: the Ignition future's name ("IntentVerifier", "MockWETH"). */
  name: string;
  contractName: string;
  sourceName: string;
  address: string;
  deployable: boolean;
  bytecode: BytecodeResult;
  /** Absent when the check was not asked for (see VerifyOptions.sourcify). */
  sourcify: SourcifyResult | { status: "not-run"; reason: string };
  explorer: ExplorerResult;
}

export interface VerifyReport {
  /** False when any bytecode or Sourcify check failed, or an explorer submission failed. */
  ok: boolean;
  chainId: number;
  network: string;
  rpcUrl: string;
  stage: string;
  buildHash: string;
  deploymentId: string;
  /** What each result means; auditors read this file without the README. */
  legend: Record<string, string>;
  contracts: ContractVerification[];
  /** Recompilations solc-js ran (cached inputs are compiled once) and their summed time. */
  compilations: { count: number; durationMs: number };
  durationMs: number;
  checkedAt: string;
}

export const LEGEND: VerifyReport["legend"] = {
  "bytecode match":
    "the runtime code on chain equals the artifact's deployedBytecode byte for byte, metadata hash included, outside the immutables (whose on-chain values are listed)",
  "bytecode mismatch": "the code on chain differs from the artifact (firstDifference is the byte offset)",
  "sourcify perfect":
    "lib-sourcify recompiled the sources with solc-js and the runtime code, the creation transaction and the metadata hash all match",
  "sourcify partial":
    "the code matches but the metadata hash does not (sources or settings differ without changing the code)",
  "sourcify mismatch": "the recompilation does not match the chain (see reason)",
  "explorer skipped": "no explorer submission (local chain, or no API key configured); not a failure",
  "explorer failed": "hardhat verify etherscan did not verify the contract; fails the report",
};

export function reportOk(contracts: ContractVerification[]): boolean {
  return contracts.every(
    (c) => c.bytecode.status === "match" && c.sourcify.status !== "mismatch" && c.explorer.status !== "failed",
  );
}

export async function writeVerifyReport(file: string, report: VerifyReport): Promise<void> {
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

function bytecodeCell(b: BytecodeResult): string {
  if (b.status === "match") return `match (${immutables(b)})`;
  return b.firstDifference !== undefined ? `mismatch at byte ${b.firstDifference}` : "mismatch";
}

function sourcifyCell(s: ContractVerification["sourcify"]): string {
  return s.status === "perfect" || s.status === "partial" || s.status === "mismatch"
    ? `${s.status}${"durationMs" in s ? ` (${formatDuration(s.durationMs)})` : ""}`
    : s.status;
}

function rows(report: VerifyReport): string[][] {
  return report.contracts.map((c) => [
    c.name,
    c.address,
    bytecodeCell(c.bytecode),
    sourcifyCell(c.sourcify),
    c.explorer.status,
  ]);
}

/** Reasons worth reading: every failure, and why the explorer was skipped (once). */
function notes(report: VerifyReport): string[] {
  const lines: string[] = [];
  for (const c of report.contracts) {
    if (c.bytecode.reason) lines.push(`${c.name}: bytecode: ${c.bytecode.reason}`);
    if (c.sourcify.status !== "perfect" && c.sourcify.reason) lines.push(`${c.name}: sourcify: ${c.sourcify.reason}`);
    if (c.explorer.status === "failed") lines.push(`${c.name}: explorer: ${c.explorer.reason}`);
  }
  const skipped = [
    ...new Set(report.contracts.filter((c) => c.explorer.status === "skipped").map((c) => c.explorer.reason)),
  ];
  for (const reason of skipped) lines.push(`explorer skipped: ${reason}`);
  return lines;
}

export function verdict(report: VerifyReport): string {
  const failed = report.contracts.filter(
    (c) => c.bytecode.status !== "match" || c.sourcify.status === "mismatch" || c.explorer.status === "failed",
  );
  return report.ok
    ? `${report.contracts.length} contracts verified on chain ${report.chainId} in ${formatDuration(report.durationMs)}`
    : `${failed.length} of ${report.contracts.length} contracts failed verification: ${failed.map((c) => c.name).join(", ")}`;
}

export function renderVerifyTable(report: VerifyReport): string[] {
  const header = ["contract", "address", "bytecode", "sourcify", "explorer"];
  const body = rows(report);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line), "", ...notes(report), verdict(report)];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderVerifyMarkdown(report: VerifyReport): string {
  const lines = [
    "### Deployment verification",
    "",
    `${verdict(report)} (${report.network}, ${report.stage} deployment \`${report.deploymentId}\`).`,
    "",
    "| contract | address | bytecode | sourcify | explorer |",
    "| --- | --- | --- | --- | --- |",
    ...rows(report).map((r) => `| ${r.map((c, i) => (i === 1 ? `\`${c}\`` : cell(c))).join(" | ")} |`),
  ];
  const extra = notes(report);
  if (extra.length > 0) lines.push("", ...extra.map((n) => `- ${cell(n)}`));
  return `${lines.join("\n")}\n`;
}
