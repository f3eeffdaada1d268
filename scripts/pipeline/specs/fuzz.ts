// The `fuzz` engine of the specs stage: checks one spec's properties with Hardhat 3's invariant
// testing on EDR, with the runs and depth of the spec's config.
//
// How a spec is run. Hardhat only runs test files under `paths.tests.solidity`, and
// hardhat.config.ts fixes runs and depth for every test; so the engine writes a small config
// (cache/specs/<Component>.fuzz.config.ts) that extends hardhat.config.ts with the spec's folder
// as the tests path, the spec's runs and depth, and write access to the reach log, and runs
// fuzz-runner.ts under it. That script calls Hardhat's `test solidity` task and writes EDR's
// results as JSON (the task's console output shows runs only, neither calls nor depth).
//
// What each property's result means:
//   held      the campaign completed its runs without a failure (and a rule was reached);
//   violated  it failed; the counterexample is EDR's shrunk call sequence;
//   vacuous   a rule whose postcondition was never reached: `invariant_rule_<name>` logs the
//             first reach of each run to the reach log (specs/fuzz/IntentSystemSpec.sol);
//   unknown   the run did not finish within the spec's budget, or made fewer runs than asked.
// runs and depth are measured: completed runs, and calls / runs. A failed campaign reports no
// completed runs, so its runs are the run it failed in (its calls / the depth measured on the
// spec's passing campaigns) and its depth that measured depth.
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PipelineError, StageFailure } from "../errors.js";
import { specsCacheDir } from "./cache.js";
import { FUZZ_BUILD_DIR, fuzzBuildHash, restoreFuzzBuild, storeFuzzBuild } from "./fuzz-build.js";
import type { FuzzCall, FuzzReport, FuzzTest } from "./fuzz-runner.js";
import { loadSpecConfigs, type FuzzOptions, type SpecConfig } from "./spec-config.js";
import type { PropertyKind, PropertyResult } from "./types.js";

export interface FuzzEngineOptions {
  hardhat(
    args: string[],
    opts: { logName: string; env?: NodeJS.ProcessEnv },
  ): Promise<{ code: number; logFile: string; tail: string[]; stdout: string }>;
  onProgress(line: string): void;
  stageDir: string;
  /** The specs cache folder (default: specsCacheDir(root)). */
  cacheDir?: string;
  /** The fuzz specs this run checks, compiled together (default: every fuzz spec of the project). */
  fuzzSpecs?: string[];
  /** Told whether the harnesses' compilation came from the specs cache, and its inputs' hash. */
  onBuild?(build: { hash: string; cached: boolean }): void;
}

/** A property as the spec file declares it. */
interface Property {
  /** The Solidity function, e.g. `invariant_rule_slashNeverExceedsBond`. */
  fn: string;
  /** The reported name: `rule_<name>` or `invariant_<name>`. */
  name: string;
  kind: PropertyKind;
  statement: string;
}

const PROJECT_CONFIG = "hardhat.config.ts";
/** The generated config's template is part of what the harnesses' compilation depends on. */
const ENGINE_CODE = readFileSync(fileURLToPath(import.meta.url), "utf8");
const RUNNER = path.join("scripts", "pipeline", "specs", "fuzz-runner.ts");
const GENERATED_DIR = path.join("cache", "specs");
/** Read by specs/fuzz/IntentSystemSpec.sol. */
const REACH_LOG_ENV = "INTENTKIT_FUZZ_REACH_LOG";

export async function fuzzSpec(root: string, spec: SpecConfig, options: FuzzEngineOptions): Promise<PropertyResult[]> {
  if (spec.engine !== "fuzz" || !spec.fuzz) throw new PipelineError(`${spec.configFile}: not a fuzz spec`);
  root = path.resolve(root);
  const started = Date.now();
  const fuzz = spec.fuzz;
  const properties = specProperties(await readFile(path.join(root, spec.spec), "utf8"), spec);
  const stageDir = path.resolve(options.stageDir);
  const reachLog = path.join(stageDir, `${spec.component}.reach.log`);
  const reportFile = path.join(stageDir, `${spec.component}.fuzz.json`);
  await Promise.all([rm(reachLog, { force: true }), rm(reportFile, { force: true })]);
  const config = await writeHardhatConfig(root, spec, reachLog);

  // Every fuzz spec at once: Hardhat merges them into one solc job (the shared handler is
  // compiled once, not once per spec) and caches each file, so the next spec's build is a cache
  // hit. Before that, the specs cache may hold this very
  // compilation (see fuzz-build.ts): then Hardhat finds every job cached.
  const others = options.fuzzSpecs ?? (await loadSpecConfigs(root, ["fuzz"])).map((c) => c.spec);
  const fuzzSpecs = [...new Set([spec.spec, ...others])].sort();
  const cacheDir = options.cacheDir ?? specsCacheDir(root);
  const buildHash = fuzzBuildHash(root, fuzzSpecs, ENGINE_CODE);
  const restored = await restoreFuzzBuild(root, cacheDir, buildHash);
  options.onProgress(
    `${spec.component}: ${restored ? "fuzz specs compiled already (specs cache)" : "compiling the fuzz specs"}`,
  );
  const build = await options.hardhat(["--config", config, "build", ...fuzzSpecs], {
    logName: `fuzz-build-${spec.component}`,
    env: childEnv({}),
  });
  if (build.code !== 0) {
    throw new StageFailure(`${spec.spec} does not compile; read ${path.basename(build.logFile)}`, {}, build.tail);
  }
  if (!restored) await storeFuzzBuild(root, cacheDir, buildHash);
  options.onBuild?.({ hash: buildHash, cached: restored });

  options.onProgress(
    `${spec.component}: fuzzing ${properties.length} properties (runs ${fuzz.runs}, depth ${fuzz.depth})`,
  );
  const run = await options.hardhat(["--config", config, "run", "--no-compile", RUNNER], {
    logName: `fuzz-${spec.component}`,
    env: childEnv({
      INTENTKIT_FUZZ_SPEC: spec.spec,
      INTENTKIT_FUZZ_REPORT: reportFile,
      // The budget is the campaigns': a compile slowed by a busy machine (or skipped, from the
      // specs cache) does not change how long the fuzzer may run.
      INTENTKIT_FUZZ_DEADLINE: String(Date.now() + fuzz.budgetMs),
      [REACH_LOG_ENV]: reachLog,
    }),
  });
  const report = await readReport(reportFile);
  if (!report) {
    throw new StageFailure(`fuzzing ${spec.spec} failed to run; read ${path.basename(run.logFile)}`, {}, run.tail);
  }
  const tests = report.tests.filter((t) => t.contract === spec.contract);
  if (report.finished && tests.length === 0) {
    throw new PipelineError(`${spec.configFile}: no contract ${spec.contract} with invariant tests in ${spec.spec}`);
  }
  const reaches = countReaches(await readFile(reachLog, "utf8").catch(() => ""));
  const results = judge(properties, tests, reaches, spec, Date.now() - started);
  for (const r of results) options.onProgress(`${spec.component}: ${r.property} ${r.result}`);
  return results;
}

/** The environment of Hardhat: no Hardhat options of this process, no colours, plus `extra`. */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("HARDHAT_")));
  return { ...env, FORCE_COLOR: "0", NO_COLOR: "1", ...extra };
}

/**
 * Writes the Hardhat config the spec runs under and returns its path, relative to `root`. It
 * lives inside the project because Hardhat takes the project root from the config's location.
 */
async function writeHardhatConfig(root: string, spec: SpecConfig, reachLog: string): Promise<string> {
  const { runs, depth } = spec.fuzz as FuzzOptions;
  const file = path.join(GENERATED_DIR, `${spec.component}.fuzz.config.ts`);
  const base = path.relative(GENERATED_DIR, PROJECT_CONFIG).replace(/\.ts$/, ".js").split(path.sep).join("/");
  const buildDir = path.join(root, FUZZ_BUILD_DIR);
  const source = `// Written by scripts/pipeline/specs/fuzz.ts for ${spec.configFile}; rewritten at every run.
import base, { SCAFFOLDING_COMPILER } from ${JSON.stringify(base)};

const solidityTest = base.test?.solidity ?? {};
if ("profiles" in solidityTest) throw new Error("fuzz specs expect a flat test.solidity config, not profiles");
const testPaths = typeof base.paths?.tests === "object" ? base.paths.tests : {};

export default {
  ...base,
  // The harnesses are test scaffolding: they deploy the build stage's bytecode (compiled with the
  // project's settings) and reach it through its interfaces, so they compile with the project's
  // scaffolding compiler (legacy codegen: about 20 s instead of 100 s under via-IR).
  solidity: { ...base.solidity, compilers: [SCAFFOLDING_COMPILER], overrides: {} },
  paths: {
    ...base.paths,
    tests: { ...testPaths, solidity: ${JSON.stringify(path.dirname(spec.spec))} },
    // The harnesses' own build folder (see scripts/pipeline/specs/fuzz-build.ts).
    artifacts: ${JSON.stringify(path.join(buildDir, "artifacts"))},
    cache: ${JSON.stringify(path.join(buildDir, "cache"))},
  },
  typechain: { ...base.typechain, outDir: ${JSON.stringify(path.join(buildDir, "types"))} },
  test: {
    ...base.test,
    solidity: {
      ...solidityTest,
      fsPermissions: {
        ...solidityTest.fsPermissions,
        writeFile: [...(solidityTest.fsPermissions?.writeFile ?? []), ${JSON.stringify(reachLog)}],
        // The harnesses deploy the build stage's bytecode (specs/fuzz/IntentSystemSpec.sol).
        readDirectory: [...(solidityTest.fsPermissions?.readDirectory ?? []), ${JSON.stringify(path.join(root, "artifacts", "contracts"))}],
      },
      invariant: { ...solidityTest.invariant, runs: ${runs}, depth: ${depth} },
    },
  },
};
`;
  await mkdir(path.join(root, GENERATED_DIR), { recursive: true });
  await writeFile(path.join(root, file), source);
  return file;
}

/**
 * The `invariant_*` functions of the spec contract, each with the @notice above it: from
 * `contract <Name>` to the next top-level declaration.
 */
function specProperties(source: string, spec: SpecConfig): Property[] {
  const start = source.search(new RegExp(`^(abstract\\s+)?contract\\s+${spec.contract}\\b`, "m"));
  if (start < 0) throw new PipelineError(`${spec.configFile}: no contract ${spec.contract} in ${spec.spec}`);
  const rest = source.slice(start + 1);
  const next = rest.search(/^(abstract\s+contract|contract|library|interface)\s/m);
  const body = next < 0 ? rest : rest.slice(0, next);
  const properties: Property[] = [];
  for (const match of body.matchAll(/((?:^[ \t]*\/\/\/.*\n)+)[ \t]*function\s+(invariant_\w+)\s*\(/gm)) {
    const [, natspec, fn] = match;
    const statement = noticeOf(natspec);
    if (!statement) throw new PipelineError(`${spec.spec}: ${fn} has no @notice stating the property`);
    const isRule = fn.startsWith("invariant_rule_");
    properties.push({
      fn,
      name: isRule ? fn.slice("invariant_".length) : fn,
      kind: isRule ? "rule" : "invariant",
      statement,
    });
  }
  for (const match of body.matchAll(/^[ \t]*function\s+(invariant_\w+)\s*\(/gm)) {
    if (!properties.some((p) => p.fn === match[1])) {
      throw new PipelineError(`${spec.spec}: ${match[1]} has no @notice stating the property`);
    }
  }
  if (properties.length === 0) {
    throw new PipelineError(`${spec.spec}: ${spec.contract} declares no invariant_* property`);
  }
  return properties;
}

/** The @notice of a block of `///` lines, its continuation lines joined. */
function noticeOf(natspec: string): string {
  const lines = natspec.split("\n").map((line) => line.replace(/^\s*\/\/\/\s?/, "").trim());
  const first = lines.findIndex((line) => line.startsWith("@notice"));
  if (first < 0) return "";
  const notice = [lines[first].slice("@notice".length).trim()];
  for (const line of lines.slice(first + 1)) {
    if (line.startsWith("@") || line === "") break;
    notice.push(line);
  }
  return notice.join(" ");
}

async function readReport(file: string): Promise<FuzzReport | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as FuzzReport;
  } catch {
    return null;
  }
}

/** Rule name -> number of runs that reached its postcondition. */
function countReaches(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of log.split("\n").map((l) => l.trim())) {
    if (line !== "") counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return counts;
}

function judge(
  properties: Property[],
  tests: FuzzTest[],
  reaches: Map<string, number>,
  spec: SpecConfig,
  elapsedMs: number,
): PropertyResult[] {
  const depth = suiteDepth(tests);
  return properties.map((p) => {
    const base = {
      property: p.name,
      kind: p.kind,
      component: spec.component,
      engine: "fuzz" as const,
      statement: p.statement,
      spec: spec.spec,
      cached: false,
    };
    const test = tests.find((t) => t.name === `${p.fn}()`);
    if (!test)
      return { ...base, result: "unknown", runs: null, depth: null, counterexample: null, durationMs: elapsedMs };
    if (test.status === "Failure") {
      // The run the campaign failed in: EDR counts no completed runs for a failed campaign.
      const runs = depth ? Math.max(1, Math.ceil(test.metricCalls / depth)) : null;
      return {
        ...base,
        result: "violated",
        runs,
        depth,
        counterexample: formatCounterexample(test),
        durationMs: test.durationMs,
      };
    }
    const runs = test.runs;
    const measuredDepth = runs ? Math.round((test.calls ?? 0) / runs) : null;
    const want = spec.fuzz as FuzzOptions;
    const complete = test.status === "Success" && (runs ?? 0) >= want.runs && (measuredDepth ?? 0) >= want.depth;
    const reached = p.kind === "invariant" || (reaches.get(p.name) ?? 0) > 0;
    const result = !complete ? "unknown" : reached ? "held" : "vacuous";
    return { ...base, result, runs, depth: measuredDepth, counterexample: null, durationMs: test.durationMs };
  });
}

/** Calls per run of the spec's campaigns, measured on one that completed; null if none did. */
function suiteDepth(tests: FuzzTest[]): number | null {
  const done = tests.find((t) => t.status === "Success" && t.runs);
  return done ? Math.round((done.calls ?? 0) / (done.runs ?? 1)) : null;
}

function formatCounterexample(test: FuzzTest): string {
  const reason = test.reason ?? "failed";
  if (!test.counterexample) return reason;
  const { calls, originalLength } = test.counterexample;
  const shrunk = originalLength > calls.length ? `, shrunk from ${originalLength}` : "";
  const lines = calls.map((call, i) => `  ${i + 1}. ${formatCall(call)}`);
  return [reason, `call sequence (${calls.length} calls${shrunk}):`, ...lines].join("\n");
}

function formatCall(call: FuzzCall): string {
  if (!call.signature || call.args === null) return `${call.contract ?? "?"} calldata ${call.calldata}`;
  const contract = (call.contract ?? "").split(":").pop();
  // eslint-disable-next-line no-control-regex
  const args = call.args.replace(/\u001b\[[0-9;]*m/g, "");
  return `${contract}.${call.signature.split("(")[0]}(${args})`;
}
