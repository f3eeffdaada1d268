// Stage `specs`: every spec under specs/ checked by its engine — solc's SMTChecker (CHC, with z3
// as the Horn solver) proves or refutes `smt` specs, Hardhat's invariant fuzzing (EDR) exercises
// `fuzz` specs with the configured runs and depth — and every rule checked for vacuity.
// Fails on a violated or vacuous property, and on a fuzzed property that ran fewer runs or calls
// than the pipeline requires; `unknown` is reported, never counted as proved.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { StageFailure } from "../errors.js";
import { fuzzSpec } from "../specs/fuzz.js";
import {
  LEGEND,
  SPECS_REPORT,
  renderSpecsMarkdown,
  renderSpecsTable,
  tallies,
  talliesText,
  type EngineTiming,
  type SpecsReport,
} from "../specs/report.js";
import { NO_SOLVER_REASON, findZ3, proveSpec } from "../specs/smt.js";
import { loadSpecConfigs } from "../specs/spec-config.js";
import type { Engine, PropertyResult } from "../specs/types.js";
import { SECTION_FILE } from "../run-store.js";
import type { Stage } from "../stage.js";

const ENGINES: Engine[] = ["smt", "fuzz"];

export const specsStage: Stage = {
  name: "specs",
  title: "specs: rules and invariants, SMTChecker proofs and invariant fuzzing",
  async run(ctx) {
    const { minFuzzRuns, minFuzzDepth, include } = ctx.config.specs;
    const specs = (await loadSpecConfigs(ctx.root)).filter(
      (spec) => include.length === 0 || include.includes(spec.component),
    );
    const unknownComponents = include.filter((name) => !specs.some((spec) => spec.component === name));
    if (unknownComponents.length > 0) {
      throw new StageFailure(
        `pipeline config specs.include names no spec for ${unknownComponents.join(", ")}; components are those of specs/*.conf.json`,
      );
    }
    // Without a Horn solver the SMTChecker proves nothing: fail now, not after the fuzz campaigns.
    if (specs.some((spec) => spec.engine === "smt") && !findZ3()) {
      throw new StageFailure(`the SMT specs have ${NO_SOLVER_REASON}, and run the stage again`);
    }
    const properties: PropertyResult[] = [];
    let fuzzBuild: SpecsReport["fuzzBuild"] = null;
    const timing = new Map<Engine, EngineTiming>(
      ENGINES.map((engine) => [engine, { engine, specs: 0, properties: 0, durationMs: 0, cached: 0 }]),
    );

    for (const spec of specs) {
      ctx.progress(`${spec.component}: ${spec.engine === "smt" ? "SMTChecker (CHC)" : "invariant fuzzing"}`);
      const started = Date.now();
      const results =
        spec.engine === "smt"
          ? await proveSpec(ctx.root, spec, {
              onProgress: ctx.progress,
              logFile: path.join(ctx.stageDir, `${spec.component}.smt.log`),
              signal: ctx.signal,
            })
          : await fuzzSpec(ctx.root, spec, {
              hardhat: ctx.hardhat,
              onProgress: ctx.progress,
              stageDir: ctx.stageDir,
              // Only the specs this run checks: with specs.include narrowed to one component, the
              // other harnesses need not compile.
              fuzzSpecs: specs.filter((s) => s.engine === "fuzz").map((s) => s.spec),
              // One compilation for every fuzz spec: the first one's tells whether it was cached.
              onBuild: (build) => void (fuzzBuild ??= build),
            });
      const engine = timing.get(spec.engine) as EngineTiming;
      engine.specs += 1;
      engine.properties += results.length;
      engine.durationMs += Date.now() - started;
      engine.cached += results.filter((r) => r.cached).length;
      properties.push(...results);
    }

    const report: SpecsReport = {
      buildHash: ctx.buildHash,
      legend: LEGEND,
      engines: [...timing.values()].filter((e) => e.specs > 0),
      properties,
      fuzzBuild,
    };
    await writeFile(path.join(ctx.stageDir, SPECS_REPORT), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(ctx.stageDir, SECTION_FILE), renderSpecsMarkdown(report));
    await writeFile(path.join(ctx.stageDir, "specs.txt"), `${renderSpecsTable(report).join("\n")}\n`);

    const counts = tallies(properties);
    const cached = properties.filter((p) => p.cached);
    const outputs: Record<string, string | number> = {
      properties: talliesText(properties),
      proved: counts.proved,
      // For the engine's cached-result marker: how many results were read from the specs cache
      // rather than reached in this run, and which.
      cached: cached.length,
      cachedProperties: cached.map((p) => `${p.component}.${p.property}`).join(", "),
      fuzzBuild: fuzzBuild === null ? "none" : (fuzzBuild as { cached: boolean }).cached ? "cached" : "compiled",
      report: `specs/${SPECS_REPORT}`,
      table: "specs/specs.txt",
    };
    for (const e of report.engines) outputs[`${e.engine}Ms`] = e.durationMs;

    const problems: string[] = [];
    const named = (result: PropertyResult["result"]) =>
      properties.filter((p) => p.result === result).map((p) => `${p.component}.${p.property}`);
    if (counts.violated > 0) problems.push(`violated: ${named("violated").join(", ")}`);
    if (counts.vacuous > 0) problems.push(`vacuous: ${named("vacuous").join(", ")}`);
    const shallow = properties.filter(
      (p) =>
        p.engine === "fuzz" &&
        p.result === "held" &&
        ((p.runs ?? 0) < minFuzzRuns || (p.depth !== null && p.depth < minFuzzDepth)),
    );
    if (shallow.length > 0) {
      problems.push(
        `fuzzed below ${minFuzzRuns} runs × depth ${minFuzzDepth}: ${shallow.map((p) => `${p.component}.${p.property} (${p.runs} × ${p.depth})`).join(", ")}`,
      );
    }
    if (properties.length === 0) problems.push("the specs hold no rule_* or invariant_* functions");
    if (problems.length > 0) {
      throw new StageFailure(`${problems.join("; ")}; read specs/${SPECS_REPORT}`, outputs);
    }
    return { outputs };
  },
};
