// Stage `static`: Slither (pinned, in a project-local virtualenv) on the exact build, its findings
// held against the committed triage file, and solhint's security rules.
//
// Hardhat 3 splits build-info into input and output files, which Slither cannot read yet
// (crytic/slither#2982). scripts/static/convert-build-info.mjs writes the single-file form into a
// stub Hardhat 2 project in a temporary folder, and Slither runs there with --ignore-compile: it analyses
// the artifacts the build stage produced instead of compiling on its own.
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { StageFailure } from "../errors.js";
import type { Stage, StageContext } from "../stage.js";
import { addAllDetectorsAsRules } from "../static/sarif.js";
import { ensureSlither } from "../static/slither-venv.js";
import { gatingImpact, loadTriage, triage, type SlitherFinding } from "../static/triage.js";

const SLITHER_CONFIG = "slither.config.json";

async function convertBuildInfo(ctx: StageContext, outDir: string): Promise<void> {
  const script = path.join(ctx.root, "scripts", "static", "convert-build-info.mjs");
  const first = await ctx.exec(process.execPath, [script, ctx.root, outDir], { logName: "convert-build-info" });
  if (first.code === 0) return;
  if (!first.tail.some((line) => line.startsWith("stale build-info"))) {
    throw new StageFailure("could not prepare the build for Slither; read static/convert-build-info.log");
  }
  // An incremental build left some artifacts on a build-info older than their sources: rebuild all
  // at once (same bytecode, so the same buildHash) and convert again.
  ctx.progress("rebuilding in one compilation job for Slither (hardhat build --force)");
  const rebuild = await ctx.hardhat(["build", "--force", "--no-tests"], { logName: "rebuild" });
  const second =
    rebuild.code === 0
      ? await ctx.exec(process.execPath, [script, ctx.root, outDir], { logName: "convert-build-info" })
      : rebuild;
  if (second.code !== 0) throw new StageFailure("could not prepare the build for Slither; read static/*.log");
}

async function runSlither(ctx: StageContext) {
  const { slither, installed } = await ensureSlither(ctx);
  // Outside the project on purpose: crytic-compile looks upwards for a Hardhat project, and would
  // read every stale build-info in the real artifacts/ folder if it found this one.
  const project = await mkdtemp(path.join(tmpdir(), "intentkit-slither-"));
  try {
    ctx.progress("converting Hardhat 3 build-info for Slither");
    await convertBuildInfo(ctx, project);
    return await analyse(ctx, slither, project, installed);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}

async function analyse(ctx: StageContext, slither: string, project: string, installed: boolean) {
  ctx.progress(`slither ${ctx.config.static.slitherVersion}`);
  const json = path.join(ctx.stageDir, "slither.json");
  const sarif = path.join(ctx.stageDir, "slither.sarif");
  const run = await ctx.exec(
    slither,
    [
      ".",
      "--config-file",
      path.join(ctx.root, SLITHER_CONFIG),
      "--json",
      json,
      "--sarif",
      sarif,
      "--json-types",
      "detectors,list-detectors",
    ],
    { logName: "slither", cwd: project },
  );
  let report: { success: boolean; error: string | null; results: Record<string, unknown> };
  try {
    report = JSON.parse(await readFile(json, "utf8"));
  } catch {
    throw new StageFailure("Slither wrote no report; read static/slither.log", { log: "static/slither.log" }, run.tail);
  }
  if (!report.success) {
    throw new StageFailure(`Slither failed: ${String(report.error).split("\n")[0]}; read static/slither.log`, {
      log: "static/slither.log",
    });
  }
  const findings = (report.results.detectors ?? []) as SlitherFinding[];
  const detectors = (report.results["list-detectors"] ?? []) as Parameters<typeof addAllDetectorsAsRules>[1];
  const rules = await addAllDetectorsAsRules(sarif, detectors);
  return { findings, detectors: detectors.length, rules, installed };
}

interface SolhintReport {
  filePath: string;
  line: number;
  ruleId: string;
  severity: "Error" | "Warning";
  message: string;
}

async function runSolhint(ctx: StageContext) {
  ctx.progress("solhint security rules");
  const files: string[] = [];
  for (const entry of await readdir(path.join(ctx.root, "contracts"), { recursive: true })) {
    if (entry.endsWith(".sol") && !entry.startsWith(`test${path.sep}`)) files.push(path.join("contracts", entry));
  }
  const cli = path.join(ctx.root, "node_modules", "solhint", "solhint.js");
  const result = await ctx.exec(
    process.execPath,
    [cli, "--config", ctx.config.static.solhintConfig, "--formatter", "json", ...files.sort()],
    { logName: "solhint", captureStdout: true },
  );
  let entries: Array<SolhintReport | { conclusion: string }>;
  try {
    entries = JSON.parse(result.stdout);
  } catch {
    throw new StageFailure(`solhint failed (exit ${result.code}); read static/solhint.log`, {
      log: "static/solhint.log",
    });
  }
  const reports = entries.filter((e): e is SolhintReport => "ruleId" in e);
  await writeFile(
    path.join(ctx.stageDir, "solhint.json"),
    `${JSON.stringify({ config: ctx.config.static.solhintConfig, files, reports }, null, 2)}\n`,
  );
  return {
    files: files.length,
    errors: reports.filter((r) => r.severity === "Error"),
    warnings: reports.filter((r) => r.severity === "Warning"),
  };
}

export const staticStage: Stage = {
  name: "static",
  title: "static: Slither and solhint security rules",
  async run(ctx) {
    const slitherConfig = JSON.parse(await readFile(path.join(ctx.root, SLITHER_CONFIG), "utf8")) as {
      fail_on?: string;
    };
    const gate = gatingImpact(slitherConfig.fail_on);
    const accepted = await loadTriage(path.join(ctx.root, ctx.config.static.triage), ctx.config.static.triage);
    // The triage exactly as this run read it, beside the findings it accepts (the auditor page links it).
    await copyFile(path.join(ctx.root, ctx.config.static.triage), path.join(ctx.stageDir, "slither.triage.json"));

    const slither = await runSlither(ctx);
    const { results, blocking, miscounted, stale } = triage(slither.findings, accepted, gate);
    await writeFile(
      path.join(ctx.stageDir, "findings.json"),
      `${JSON.stringify({ gate: gate ?? "none", triageFile: ctx.config.static.triage, stale, miscounted, findings: results }, null, 2)}\n`,
    );
    const solhint = await runSolhint(ctx);

    const byImpact = (impact: string) => results.filter((r) => r.impact === impact).length;
    const outputs = {
      slitherVersion: ctx.config.static.slitherVersion,
      slitherInstalledNow: slither.installed ? "yes" : "no (reused)",
      detectors: slither.detectors,
      findings: `${results.length} (high ${byImpact("High")}, medium ${byImpact("Medium")}, low ${byImpact("Low")}, informational ${byImpact("Informational")}, optimization ${byImpact("Optimization")})`,
      gate: `${gate ?? "none"} and above`,
      triaged: results.filter((r) => r.accepted).length,
      untriagedAtGate: blocking.length,
      staleTriageEntries: stale.length,
      sarif: "static/slither.sarif",
      findingsReport: "static/findings.json",
      solhint: `static/solhint.json (${solhint.errors.length} errors, ${solhint.warnings.length} warnings in ${solhint.files} files)`,
    };

    const problems: string[] = [];
    if (blocking.length > 0) {
      const listed = blocking.map((f) => `${f.detector} (${f.impact}) in ${f.location} at ${f.source}`);
      problems.push(`${blocking.length} untriaged Slither finding(s) at ${gate} or above: ${listed.join("; ")}`);
    }
    if (miscounted.length > 0) problems.push(`triage counts differ: ${miscounted.join("; ")}`);
    if (solhint.errors.length > 0) {
      const listed = solhint.errors.map((r) => `${r.ruleId} at ${r.filePath}:${r.line}`);
      problems.push(`${solhint.errors.length} solhint security error(s): ${listed.join("; ")}`);
    }
    if (problems.length > 0) {
      throw new StageFailure(`${problems.join(" | ")}; read static/findings.json and static/solhint.json`, outputs);
    }
    return { outputs };
  },
};
