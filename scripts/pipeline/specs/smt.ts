// The `smt` engine of the specs stage: solc's SMTChecker (CHC engine) on a spec harness, with the
// Horn queries answered by the z3 binary through solc-js's SMT callback.
//
// Three compilations of the harness, all in solc-js (the compiler pinned in package.json):
//   1. analysis only, to collect every source the harness imports and find what the SMTChecker
//      cannot model (see `neutraliseCustomErrorReverts`);
//   2. the proof: every assert() of the harness is a CHC target; each message the SMTChecker
//      reports (safe, violated, unproved) is tied back to the rule_*/invariant_* function that
//      holds the assertion by source location;
//   3. the sanity pass (Certora's rule sanity): `assert(false)` at the end of every proved rule
//      and of every state-changing harness function. A rule whose end is unreachable proves
//      anything, so it is reported `vacuous`; an invariant is `vacuous` when no state-changing
//      function of the harness can complete (then only the initial state is reachable).
//
// Results are `proved` only when the SMTChecker said "safe" for every assertion of the property.
// Timeouts, solver errors and an exhausted budget are `unknown`, never `proved`.
//
// The proof and the sanity pass cannot be one compilation: an `assert(false)` closing a
// state-changing function makes every call of it fail, which removes its transitions from the
// reachable states the invariants (and the rules over storage) are proved for, so they would
// hold vacuously. Pass 1 generates no code and asks no solver, so it costs little.
//
// Verdicts are cached (see cache.ts) under the hash of everything they depend on: every source
// pass 1 read, the spec's settings, solc's and z3's versions, and this file. A hit returns the
// stored verdicts marked `cached`, unchanged (an `unknown` stays `unknown`), without asking z3
// again; a run cut short by its budget is not stored, since its unknowns depend on the load.
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

import { PipelineError } from "../errors.js";
import { hashInputs, readCacheEntry, specsCacheDir, writeCacheEntry } from "./cache.js";
import type { SpecConfig } from "./spec-config.js";
import type { PropertyKind, PropertyOutcome, PropertyResult } from "./types.js";

const require = createRequire(import.meta.url);

export interface SmtOptions {
  onProgress(line: string): void;
  logFile: string;
  /** The verdict cache folder (default: specsCacheDir(root)). */
  cacheDir?: string;
  /** The run was interrupted. solc-js compiles synchronously, so this is honoured between the
   * passes (and stops the counterexample worker), not inside one. */
  signal?: AbortSignal;
}

export const NO_SOLVER_REASON = "no Horn solver: install z3 (Debian: apt-get install z3)";

/** Spacer options solc-js's own smtsolver.js passes to z3 for the SMTChecker's Horn queries. */
const Z3_ARGS = [
  "-smt2",
  "-in",
  "rewriter.pull_cheap_ite=true",
  "fp.spacer.q3.use_qgen=true",
  "fp.spacer.mbqi=false",
  "fp.spacer.ground_pobs=false",
];

/** util-linux's prlimit, which runs z3 under a CPU-time limit (absent: wall-clock limits only). */
const CPU_LIMIT = ["/usr/bin/prlimit", "/bin/prlimit"].find((file) => existsSync(file)) ?? null;

// SMTChecker error codes (solc 0.8.30) this engine reads. The text decides between "happens" and
// "might happen", which share 6328.
const CODE_SAFE = "9576"; // "CHC: Assertion violation check is safe!" (showProvedSafe)
const CODE_ASSERTION = "6328"; // "CHC: Assertion violation happens here." / "... might happen here."
const CODE_NO_SOLVER = "7649"; // "CHC analysis was not possible since no Horn solver was found ..."

// ---- solc-js standard JSON, the parts used here -------------------------------------------------

interface SolcLocation {
  file: string;
  start: number;
  end: number;
}

interface SolcMessage {
  type: string;
  severity: "error" | "warning" | "info";
  errorCode?: string;
  message: string;
  formattedMessage?: string;
  sourceLocation?: SolcLocation;
}

interface AstNode {
  nodeType: string;
  src: string;
  name?: string;
  kind?: string;
  stateMutability?: string;
  visibility?: string;
  documentation?: { text?: string } | string | null;
  body?: AstNode | null;
  errorCall?: AstNode;
  [key: string]: unknown;
}

interface SolcOutput {
  errors?: SolcMessage[];
  sources?: Record<string, { ast: AstNode }>;
}

interface Solc {
  compile(input: string, callbacks: object): string;
  version(): string;
}

let solcInstance: Solc | undefined;
function loadSolc(): Solc {
  // solc/wrapper over the soljson the project pins: the same compiler for every spec and machine.
  solcInstance ??= require("solc/wrapper.js")(require(require.resolve("solc/soljson.js"))) as Solc;
  return solcInstance;
}

// ---- source handling ---------------------------------------------------------------------------

/** Byte offsets in solc's `src` ("start:length:file"); the sources here are ASCII-safe or not,
 * so offsets are kept as bytes and text is edited as a Buffer. */
function srcRange(node: AstNode): { start: number; end: number } {
  const [start, length] = node.src.split(":").map(Number);
  return { start, end: start + length };
}

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) for (const child of node) walk(child, visit);
  else if (node && typeof node === "object") {
    const n = node as AstNode;
    if (typeof n.nodeType === "string") visit(n);
    for (const value of Object.values(n)) if (value && typeof value === "object") walk(value, visit);
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(source: string, edits: Edit[]): string {
  let bytes = Buffer.from(source, "utf8");
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    bytes = Buffer.concat([bytes.subarray(0, edit.start), Buffer.from(edit.text, "utf8"), bytes.subarray(edit.end)]);
  }
  return bytes.toString("utf8");
}

function importReader(root: string, seen: Map<string, string>) {
  return (importPath: string) => {
    // Project sources first, then packages (OpenZeppelin) from the project's node_modules.
    for (const candidate of [path.join(root, importPath), path.join(root, "node_modules", importPath)]) {
      try {
        const contents = readFileSync(candidate, "utf8");
        seen.set(importPath, contents);
        return { contents };
      } catch {
        // try the next location
      }
    }
    return { error: `not found in the project or its node_modules: ${importPath}` };
  };
}

function firstError(output: SolcOutput): SolcMessage | undefined {
  return output.errors?.find((e) => e.severity === "error");
}

function throwOnError(spec: SpecConfig, output: SolcOutput, what: string): void {
  const error = firstError(output);
  if (error) {
    const text = (error.formattedMessage ?? error.message).trim().split("\n").slice(0, 6).join("\n");
    throw new PipelineError(`${spec.spec}: ${what} failed: ${text}`);
  }
}

/**
 * solc 0.8.30's SMTChecker does not model `revert CustomError(...)`: it warns 8364 ("Assertion
 * checker does not yet implement type error") and lets the path run on past the revert, so every
 * guard written that way is invisible and a postcondition behind it fails spuriously. Replacing
 * the error call with `()` turns each such statement into `revert();`, which is modelled. This is
 * the same control flow (both revert; the error arguments are discarded with the reverted state),
 * so what is proved about the rewritten text holds for the original. Only the text handed to the
 * SMTChecker changes; the files on disk are never touched. Returns the number of rewrites per file.
 */
function neutraliseCustomErrorReverts(sources: Map<string, string>, asts: Record<string, { ast: AstNode }>) {
  const rewritten = new Map<string, number>();
  for (const [file, { ast }] of Object.entries(asts)) {
    const edits: Edit[] = [];
    walk(ast, (node) => {
      if (node.nodeType === "RevertStatement" && node.errorCall) {
        const call = node.errorCall as AstNode & { expression: AstNode };
        const { start } = srcRange(call.expression);
        edits.push({ start, end: srcRange(call).end, text: "()" });
      }
    });
    if (edits.length > 0) {
      sources.set(file, applyEdits(sources.get(file)!, edits));
      rewritten.set(file, edits.length);
    }
  }
  return rewritten;
}

// ---- properties ---------------------------------------------------------------------------------

interface PropertyFunction {
  name: string;
  kind: PropertyKind;
  statement: string;
  start: number;
  end: number;
  body: { start: number; end: number } | null;
}

interface HarnessFunction {
  name: string;
  start: number;
  end: number;
  body: { start: number; end: number } | null;
  mutating: boolean;
}

function notice(doc: AstNode["documentation"]): string {
  const text = typeof doc === "string" ? doc : (doc?.text ?? "");
  // NatSpec: @notice up to the next tag; untagged text counts as @notice.
  const match = /@notice\s+([\s\S]*?)(?=\n\s*@\w|$)/.exec(text);
  const raw = match ? match[1] : text.startsWith("@") ? "" : text;
  return raw.replace(/\s+/g, " ").trim();
}

function harnessFunctions(ast: AstNode, contract: string): HarnessFunction[] {
  const nodes = (ast.nodes as AstNode[] | undefined) ?? [];
  const definition = nodes.find((n) => n.nodeType === "ContractDefinition" && n.name === contract);
  if (!definition) return [];
  return ((definition.nodes as AstNode[]) ?? [])
    .filter((n) => n.nodeType === "FunctionDefinition")
    .map((n) => ({
      name: n.kind === "function" ? n.name! : n.kind!,
      ...srcRange(n),
      body: n.body ? srcRange(n.body) : null,
      mutating:
        (n.visibility === "external" || n.visibility === "public") &&
        n.stateMutability !== "view" &&
        n.stateMutability !== "pure" &&
        n.kind === "function",
    }));
}

function propertyFunctions(ast: AstNode, contract: string): PropertyFunction[] {
  const nodes = (ast.nodes as AstNode[] | undefined) ?? [];
  const definition = nodes.find((n) => n.nodeType === "ContractDefinition" && n.name === contract);
  const result: PropertyFunction[] = [];
  for (const n of (definition?.nodes as AstNode[] | undefined) ?? []) {
    if (n.nodeType !== "FunctionDefinition" || !n.name) continue;
    const kind: PropertyKind | null = n.name.startsWith("rule_")
      ? "rule"
      : n.name.startsWith("invariant_")
        ? "invariant"
        : null;
    if (!kind) continue;
    result.push({
      name: n.name,
      kind,
      statement: notice(n.documentation),
      ...srcRange(n),
      body: n.body ? srcRange(n.body) : null,
    });
  }
  return result;
}

/** Assertion verdicts per function, from the SMTChecker's messages located in the harness. */
interface Verdicts {
  safe: number;
  violated: SolcMessage[];
  open: number;
}

function verdictsByFunction(
  output: SolcOutput,
  file: string,
  functions: { name: string; start: number; end: number }[],
) {
  const verdicts = new Map<string, Verdicts>();
  for (const fn of functions) verdicts.set(fn.name, { safe: 0, violated: [], open: 0 });
  for (const message of output.errors ?? []) {
    const loc = message.sourceLocation;
    if (!loc || loc.file !== file) continue;
    const fn = functions.find((f) => loc.start >= f.start && loc.end <= f.end);
    if (!fn) continue;
    const v = verdicts.get(fn.name)!;
    if (message.errorCode === CODE_SAFE) v.safe++;
    else if (message.errorCode === CODE_ASSERTION && /happens here/.test(message.message)) v.violated.push(message);
    // "might happen here" (unknown/timeout), and solver errors located on the assertion.
    else if (message.errorCode === CODE_ASSERTION || /^CHC: /.test(message.message)) v.open++;
  }
  return verdicts;
}

function outcome(v: Verdicts | undefined): PropertyOutcome {
  if (!v) return "unknown";
  if (v.violated.length > 0) return "violated";
  if (v.open === 0 && v.safe > 0) return "proved";
  return "unknown";
}

/** The counterexample part of a violation message (solc puts it after the first line). */
function counterexampleText(message: SolcMessage): string {
  const lines = message.message.split("\n");
  const rest = lines.slice(1).join("\n").trim();
  return rest || lines[0].trim();
}

// ---- the solver ------------------------------------------------------------------------------

/** The z3 binary the SMT engine runs, or null when none is on PATH. */
export const findZ3 = (): string | null => findOnPath("z3");

function findOnPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

let z3Versions: Map<string, string> | undefined;
/** `z3 --version` of `z3`: part of a verdict's cache key, since another solver may decide otherwise. */
function z3Version(z3: string): string {
  z3Versions ??= new Map();
  let version = z3Versions.get(z3);
  if (version === undefined) {
    try {
      version = execFileSync(z3, ["--version"], { encoding: "utf8", timeout: 10_000 }).trim();
    } catch (error) {
      throw new PipelineError(`${z3} --version failed (${(error as Error).message}); is z3 installed correctly?`);
    }
    z3Versions.set(z3, version);
  }
  return version;
}

/** This engine's own code: a change to how verdicts are reached invalidates every cached verdict. */
let engineCodeHash: string | undefined;
function engineCode(): string {
  engineCodeHash ??= hashInputs(readFileSync(fileURLToPath(import.meta.url), "utf8"));
  return engineCodeHash;
}

/** What a cache entry holds: the verdicts as first reached, and the log of the run that reached them. */
interface CachedVerdicts {
  results: PropertyResult[];
  log: string;
}
const VERDICTS_FILE = "smt-verdicts.json";

interface QueryRecord {
  target: string | null;
  ms: number;
  answer: string;
}

/**
 * The SMT callback: runs z3 on one Horn query, synchronously (solc-js calls back from inside the
 * compiler). The query carries `(set-option :timeout ...)` from modelChecker.timeout; the process
 * timeout is a backstop. Past the spec's deadline it answers `unknown` without solving, so the
 * remaining assertions are reported unproved. Anything that is not a clear sat/unsat/unknown is
 * answered `unknown` too: solc would otherwise report "Error during interaction with the solver".
 */
function z3Callback(z3: string, timeoutMs: number, deadline: number, queries: QueryRecord[]) {
  return (query: string) => {
    const target = queryTarget(query);
    const left = deadline - Date.now();
    if (left <= 0) {
      queries.push({ target, ms: 0, answer: "unknown (budget exhausted)" });
      return { contents: "unknown\n" };
    }
    const limit = Math.max(1, Math.min(timeoutMs, left));
    // The query's limit is z3's CPU time where prlimit can set it, so that stages running side
    // by side on a busy machine cannot turn a proof into `unknown`; wall time (four times the
    // limit, and the spec's budget) only stops a z3 that gets no CPU at all.
    const wall = CPU_LIMIT ? Math.min(limit * 4, left) : limit;
    const text = query.replace(/^\(set-option :timeout \d+\)/, `(set-option :timeout ${wall})`);
    const [command, args] = CPU_LIMIT
      ? [CPU_LIMIT, [`--cpu=${Math.max(1, Math.ceil(limit / 1000))}`, z3, ...Z3_ARGS]]
      : [z3, Z3_ARGS];
    const started = Date.now();
    let answer: string;
    try {
      answer = execFileSync(command, args, {
        input: text,
        encoding: "utf8",
        maxBuffer: 1 << 30,
        timeout: wall + 5_000,
        stdio: ["pipe", "pipe", "pipe"],
      });
    } catch (error) {
      // z3 exits non-zero on some answers; keep its stdout when it has one.
      answer = String((error as { stdout?: string }).stdout ?? "");
    }
    const first = answer.trimStart().split("\n")[0].trim();
    const contents = first === "sat" || first === "unsat" || first === "unknown" ? `${first}\n` : "unknown\n";
    queries.push({ target, ms: Date.now() - started, answer: first || "(no answer)" });
    return { contents };
  };
}

/** The harness function a CHC query is about: the summary predicate in the clause that derives
 * the queried error target (`error_target_N`), e.g. `summary_12_function_rule_x__120_300`. */
function queryTarget(query: string): string | null {
  const queried = /\(=> (error_target_\d+) false\)\)\)\s*\(check-sat\)\s*$/.exec(query)?.[1];
  if (!queried) return null;
  const derive = query.lastIndexOf(` ${queried}))`);
  if (derive < 0) return null;
  const clauseStart = query.lastIndexOf("(assert", derive);
  const clause = query.slice(clauseStart, derive);
  const names = [...clause.matchAll(/\|?summary_\d+_function_([A-Za-z_][A-Za-z0-9_]*?)__\d+_\d+\|?/g)].map((m) => m[1]);
  return names.at(-1) ?? null;
}

// ---- the compilations --------------------------------------------------------------------------

function standardInput(sources: Map<string, string>, settings: object) {
  return JSON.stringify({
    language: "Solidity",
    sources: Object.fromEntries([...sources].map(([file, content]) => [file, { content }])),
    settings,
  });
}

function modelCheckerSettings(spec: SpecConfig, timeoutMs: number) {
  return {
    // Only the AST: the SMTChecker runs in the analysis phase, no bytecode is needed.
    outputSelection: { [spec.spec]: { "": ["ast"] } },
    modelChecker: {
      engine: "chc",
      contracts: { [spec.spec]: [spec.contract] },
      targets: ["assert"],
      showProvedSafe: true,
      showUnproved: true,
      showUnsupported: true,
      timeout: timeoutMs,
      // "smtlib2": every Horn query goes through the SMT callback (z3 binary). soljson's built-in
      // z3 ("z3") would need threads for its timeout, which the WebAssembly build cannot start.
      solvers: ["smtlib2"],
    },
  };
}

interface Pass {
  output: SolcOutput;
  queries: QueryRecord[];
  ms: number;
}

function compileWithSolver(
  solc: Solc,
  root: string,
  sources: Map<string, string>,
  settings: object,
  solver: ReturnType<typeof z3Callback>,
  queries: QueryRecord[],
): Pass {
  const started = Date.now();
  const seen = new Map<string, string>();
  const raw = solc.compile(standardInput(sources, settings), { import: importReader(root, seen), smtSolver: solver });
  return { output: JSON.parse(raw) as SolcOutput, queries, ms: Date.now() - started };
}

/**
 * A harness variant for a follow-up pass: asserts outside the functions in `keepAsserts` become
 * requires (the same path condition, but no CHC target, so no solver time), and `assert(false);`
 * closes each function in `closeWith`. The sanity pass keeps no asserts; the counterexample pass
 * keeps those of the violated properties.
 */
function retargetHarness(
  source: string,
  ast: AstNode,
  contract: string,
  keepAsserts: Set<string>,
  closeWith: { body: { start: number; end: number } | null }[],
): string {
  const edits: Edit[] = [];
  const keep = harnessFunctions(ast, contract).filter((f) => keepAsserts.has(f.name));
  walk(ast, (node) => {
    if (node.nodeType !== "FunctionCall") return;
    const callee = (node as AstNode & { expression: AstNode }).expression;
    if (callee.nodeType !== "Identifier" || callee.name !== "assert") return;
    const at = srcRange(callee);
    if (!keep.some((f) => at.start >= f.start && at.end <= f.end)) edits.push({ ...at, text: "require" });
  });
  for (const fn of closeWith) {
    if (fn.body) edits.push({ start: fn.body.end - 1, end: fn.body.end - 1, text: " assert(false); " });
  }
  return applyEdits(source, edits);
}

// soljson's built-in z3 reports counterexamples, which the SMT-LIB2 callback path of solc 0.8.30
// does not (it only reads sat/unsat). It cannot time out by itself (no threads in WebAssembly),
// so it runs in a worker that is terminated at the deadline.
const COUNTEREXAMPLE_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const solc = require(workerData.wrapper)(require(workerData.soljson));
parentPort.postMessage(solc.compile(workerData.input));
`;

function compileInWorker(input: string, ms: number, signal?: AbortSignal): Promise<SolcOutput | null> {
  return new Promise((resolve) => {
    const worker = new Worker(COUNTEREXAMPLE_WORKER, {
      eval: true,
      workerData: { wrapper: require.resolve("solc/wrapper.js"), soljson: require.resolve("solc/soljson.js"), input },
    });
    const finish = (output: SolcOutput | null) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
      void worker.terminate();
      resolve(output);
    };
    const stop = () => finish(null);
    const timer = setTimeout(stop, ms);
    signal?.addEventListener("abort", stop, { once: true });
    worker.once("message", (raw: string) => finish(JSON.parse(raw) as SolcOutput));
    worker.once("error", stop);
  });
}

/** Counterexample texts for the violated properties, or none when the pass ran out of time. */
async function counterexamples(
  spec: SpecConfig,
  sources: Map<string, string>,
  ast: AstNode,
  violated: string[],
  ms: number,
  log: string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (violated.length === 0 || ms <= 0) return found;
  const variant = new Map(sources);
  variant.set(spec.spec, retargetHarness(sources.get(spec.spec)!, ast, spec.contract, new Set(violated), []));
  const settings = modelCheckerSettings(spec, 0) as { modelChecker: Record<string, unknown> };
  settings.modelChecker.solvers = ["z3"];
  delete settings.modelChecker.timeout;
  const started = Date.now();
  const output = await compileInWorker(standardInput(variant, settings), ms, signal);
  log.push(
    `## counterexample pass (built-in z3): ${output ? "done" : "stopped at the deadline"} in ${Date.now() - started} ms`,
  );
  if (!output) return found;
  const cexAst = output.sources?.[spec.spec]?.ast;
  if (!cexAst) return found;
  const verdicts = verdictsByFunction(output, spec.spec, harnessFunctions(cexAst, spec.contract));
  for (const name of violated) {
    const message = verdicts.get(name)?.violated.find((m) => /Counterexample:/.test(m.message));
    if (message) found.set(name, counterexampleText(message));
  }
  logPass(log, "counterexample", { output, queries: [], ms: Date.now() - started });
  return found;
}

// ---- the engine ---------------------------------------------------------------------------------

export async function proveSpec(root: string, spec: SpecConfig, options: SmtOptions): Promise<PropertyResult[]> {
  const started = Date.now();
  const smt = spec.smt ?? { timeoutMs: 30_000, budgetMs: 120_000 };
  const deadline = started + smt.budgetMs;
  const log: string[] = [];
  const solc = loadSolc();
  log.push(`# ${spec.component}: ${spec.spec} (${spec.contract}), solc ${solc.version()}`);

  // 1. Collect the sources and their ASTs.
  let harness: string;
  try {
    harness = readFileSync(path.join(root, spec.spec), "utf8");
  } catch (error) {
    throw new PipelineError(`${spec.spec}: not readable (${(error as Error).message})`);
  }
  const seen = new Map<string, string>();
  const parsed = JSON.parse(
    solc.compile(
      // Analysis without code generation (only the AST is selected); `stopAfter: "parsing"` would
      // not load the imports.
      standardInput(new Map([[spec.spec, harness]]), { outputSelection: { "*": { "": ["ast"] } } }),
      { import: importReader(root, seen) },
    ),
  ) as SolcOutput;
  throwOnError(spec, parsed, "parsing the harness");
  const sources = new Map<string, string>([[spec.spec, harness], ...seen]);

  const z3 = findZ3();
  // Without a Horn solver the SMTChecker checks nothing: a gate must not pass on that.
  if (!z3) throw new PipelineError(`${spec.component}: ${NO_SOLVER_REASON}, then run the stage again`);

  // Verdicts are a function of the sources, the settings, the compiler, the solver and this code:
  // with all of them unchanged, the queries would be asked again only to get the same answers
  // (and the same timeouts). A cached verdict is reported as cached, never changed.
  const cacheDir = options.cacheDir ?? specsCacheDir(root);
  const key = hashInputs({
    engine: "smt",
    engineCode: engineCode(),
    solc: solc.version(),
    z3: z3Version(z3),
    z3Args: Z3_ARGS,
    cpuLimited: CPU_LIMIT !== null,
    spec: { file: spec.spec, contract: spec.contract, component: spec.component, smt },
    sources,
  });
  const hit = await readCacheEntry<CachedVerdicts>(cacheDir, key, VERDICTS_FILE);
  if (hit && Array.isArray(hit.value.results) && hit.value.results.length > 0) {
    const results = hit.value.results.map((r) => ({ ...r, cached: true }));
    await writeFile(
      options.logFile,
      `# cached verdicts: ${path.join(hit.dir, VERDICTS_FILE)} (inputs hash ${key}); the run that reached them:\n${hit.value.log}`,
    );
    for (const r of results) options.onProgress(`${spec.component}: ${r.property} ${r.result} (cached)`);
    return results;
  }

  const rewritten = neutraliseCustomErrorReverts(sources, parsed.sources ?? {});
  for (const [file, count] of rewritten)
    log.push(`# rewrote ${count} \`revert Error(...)\` to \`revert()\` in ${file} (SMTChecker 8364)`);

  const parsedProperties = propertyFunctions(parsed.sources![spec.spec].ast, spec.contract);
  if (parsedProperties.length === 0) {
    throw new PipelineError(`${spec.spec}: ${spec.contract} has no rule_* or invariant_* function`);
  }

  options.signal?.throwIfAborted();
  // 2. The proof.
  options.onProgress(`${spec.component}: proving ${parsedProperties.length} properties with CHC (z3)`);
  const proofQueries: QueryRecord[] = [];
  const proof = compileWithSolver(
    solc,
    root,
    sources,
    modelCheckerSettings(spec, smt.timeoutMs),
    z3Callback(z3, smt.timeoutMs, deadline, proofQueries),
    proofQueries,
  );
  logPass(log, "proof", proof);
  throwOnError(spec, proof.output, "compiling the harness");
  if (proof.output.errors?.some((e) => e.errorCode === CODE_NO_SOLVER)) {
    await writeFile(options.logFile, log.join("\n") + "\n");
    throw new PipelineError(`${spec.component}: the SMTChecker found no Horn solver (${NO_SOLVER_REASON})`);
  }
  const ast = proof.output.sources![spec.spec].ast;
  const properties = propertyFunctions(ast, spec.contract);
  const verdicts = verdictsByFunction(proof.output, spec.spec, properties);
  const outcomes = new Map(properties.map((p) => [p.name, outcome(verdicts.get(p.name))]));

  // 3. Sanity: is the end of each proved rule, and of each state-changing function, reachable?
  const proved = properties.filter((p) => p.kind === "rule" && outcomes.get(p.name) === "proved");
  const mutating = harnessFunctions(ast, spec.contract).filter((f) => f.mutating);
  const hasInvariant = properties.some((p) => p.kind === "invariant" && outcomes.get(p.name) === "proved");
  const checked = [...proved, ...(hasInvariant ? mutating : [])];
  const sanityQueries: QueryRecord[] = [];
  let sanity: Pass | null = null;
  options.signal?.throwIfAborted();
  if (checked.length > 0) {
    options.onProgress(`${spec.component}: sanity-checking ${checked.length} function(s) for vacuity`);
    const sanitySources = new Map(sources);
    sanitySources.set(spec.spec, retargetHarness(sources.get(spec.spec)!, ast, spec.contract, new Set(), checked));
    sanity = compileWithSolver(
      solc,
      root,
      sanitySources,
      modelCheckerSettings(spec, smt.timeoutMs),
      z3Callback(z3, smt.timeoutMs, deadline, sanityQueries),
      sanityQueries,
    );
    logPass(log, "sanity", sanity);
    throwOnError(spec, sanity.output, "compiling the sanity harness");
    const sanityAst = sanity.output.sources![spec.spec].ast;
    const reach = verdictsByFunction(sanity.output, spec.spec, harnessFunctions(sanityAst, spec.contract));
    for (const rule of proved) {
      const v = reach.get(rule.name);
      // Reachable (the inserted assert(false) fails): the proof is not vacuous. Proved safe: the
      // end is unreachable, so the rule holds vacuously. Undecided: the proof cannot be trusted
      // as meaningful, so the rule is not reported proved.
      if (v && v.violated.length > 0) continue;
      outcomes.set(rule.name, v && v.safe > 0 && v.open === 0 ? "vacuous" : "unknown");
    }
    if (hasInvariant && mutating.length > 0) {
      const live = mutating.filter((f) => (reach.get(f.name)?.violated.length ?? 0) > 0);
      for (const f of mutating) if (!live.includes(f)) log.push(`# sanity: ${f.name} never completes (or undecided)`);
      // Only the initial state is reachable when every transition reverts: the invariant says
      // nothing about the component, so it is vacuous (or unknown when that was undecided).
      if (live.length === 0) {
        const dead = mutating.every((f) => {
          const v = reach.get(f.name);
          return v && v.safe > 0 && v.open === 0;
        });
        for (const p of properties) {
          if (p.kind === "invariant" && outcomes.get(p.name) === "proved")
            outcomes.set(p.name, dead ? "vacuous" : "unknown");
        }
      }
    }
  }

  // Counterexamples, within what is left of the budget. Only the violated properties' asserts
  // stay targets there, and a violation is found by search, which is quick next to a proof.
  const violated = properties.filter((p) => outcomes.get(p.name) === "violated").map((p) => p.name);
  if (violated.length > 0) options.onProgress(`${spec.component}: reading counterexamples for ${violated.join(", ")}`);
  const cexMs = deadline - Date.now();
  options.signal?.throwIfAborted();
  const texts = await counterexamples(spec, sources, ast, violated, cexMs, log, options.signal);

  // Durations: each property's measured z3 time (its proof and sanity queries) plus an equal
  // share of everything else (compiling, encoding, the counterexample pass, queries not tied to one property).
  const allQueries = [...proof.queries, ...sanityQueries];
  const solverMs = new Map<string, number>();
  for (const q of allQueries) if (q.target) solverMs.set(q.target, (solverMs.get(q.target) ?? 0) + q.ms);
  const attributed = properties.reduce((sum, p) => sum + (solverMs.get(p.name) ?? 0), 0);
  const overhead = Math.max(0, Date.now() - started - attributed) / properties.length;

  const results = properties.map((p) => {
    const v = verdicts.get(p.name)!;
    const status = outcomes.get(p.name)!;
    // Without the built-in z3's counterexample, the violation message itself (solc 0.8.30 gives
    // no model through the SMT-LIB2 callback); the location is in the log.
    const cex = status === "violated" ? (texts.get(p.name) ?? counterexampleText(v.violated[0])) : null;
    return result(spec, p, status, cex, Math.round((solverMs.get(p.name) ?? 0) + overhead));
  });
  const exhausted = Date.now() > deadline || allQueries.some((q) => q.answer.includes("budget exhausted"));
  if (exhausted) log.push(`# budget of ${smt.budgetMs} ms exhausted: later queries answered unknown`);
  for (const r of results) options.onProgress(`${spec.component}: ${r.property} ${r.result} (${r.durationMs} ms)`);
  const logText = log.join("\n") + "\n";
  await writeFile(options.logFile, logText);
  // A verdict cut short by the spec's budget depends on the machine's load, not only on the
  // inputs: it is not stored, so the next run tries again.
  if (!exhausted) {
    const entry: CachedVerdicts = { results, log: logText };
    await writeCacheEntry(cacheDir, key, { [VERDICTS_FILE]: `${JSON.stringify(entry, null, 2)}\n` });
  }
  return results;
}

function result(
  spec: SpecConfig,
  p: PropertyFunction,
  status: PropertyOutcome,
  counterexample: string | null,
  durationMs: number,
): PropertyResult {
  return {
    property: p.name,
    kind: p.kind,
    component: spec.component,
    engine: "smt",
    result: status,
    runs: null,
    depth: null,
    counterexample,
    durationMs,
    statement: p.statement,
    spec: spec.spec,
    cached: false,
  };
}

function logPass(log: string[], name: string, pass: Pass): void {
  log.push(`## ${name} pass: ${pass.ms} ms, ${pass.queries.length} quer${pass.queries.length === 1 ? "y" : "ies"}`);
  for (const q of pass.queries) log.push(`query ${q.target ?? "?"}: ${q.answer} in ${q.ms} ms`);
  for (const m of pass.output.errors ?? []) {
    const loc = m.sourceLocation ? ` ${m.sourceLocation.file}:${m.sourceLocation.start}-${m.sourceLocation.end}` : "";
    log.push(`[${m.severity} ${m.errorCode ?? "-"}${loc}] ${(m.formattedMessage ?? m.message).trimEnd()}`);
  }
}
