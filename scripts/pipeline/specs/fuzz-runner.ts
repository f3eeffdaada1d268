// Runs one fuzz spec inside Hardhat and writes what EDR reported as JSON. The fuzz engine
// (fuzz.ts) starts it as `hardhat --config <generated> run --no-compile <this file>`: Hardhat's
// `test solidity` task prints only `runs: N` for an invariant, while its return value carries
// EDR's results whole (runs, calls, the shrunk counterexample), so this script calls the task and
// keeps them. The console output of the task still goes to the engine's log.
//
// Environment (set by fuzz.ts): INTENTKIT_FUZZ_SPEC, the spec file; INTENTKIT_FUZZ_REPORT, where
// the JSON goes; INTENTKIT_FUZZ_DEADLINE, epoch milliseconds after which the run is abandoned and
// reported unfinished.
import { writeFile } from "node:fs/promises";

import hre from "hardhat";

/** One call of a counterexample, as EDR decoded it. */
export interface FuzzCall {
  contract: string | null;
  signature: string | null;
  args: string | null;
  calldata: string;
}

/** One test function's outcome. */
export interface FuzzTest {
  contract: string;
  /** With its parameter list, e.g. `invariant_x()`. */
  name: string;
  status: "Success" | "Failure" | "Skipped";
  reason: string | null;
  /** Invariant tests: completed runs and calls (EDR reports 0 for both when a campaign fails). */
  runs: number | null;
  calls: number | null;
  /** Invariant tests: calls made per target function, summed (counts a failing campaign too). */
  metricCalls: number;
  durationMs: number;
  counterexample: { originalLength: number; calls: FuzzCall[] } | null;
}

export interface FuzzReport {
  /** False when the deadline passed before the tests finished; `tests` is then empty. */
  finished: boolean;
  tests: FuzzTest[];
}

// The parts of EDR's SuiteResult and TestResult read here (@nomicfoundation/edr is Hardhat's
// dependency, not the project's, so its types are not imported).
interface EdrCall {
  calldata: Uint8Array;
  contractName?: string;
  signature?: string;
  args?: string;
}
interface EdrTest {
  name: string;
  status: FuzzTest["status"];
  reason?: string;
  kind: { runs?: bigint; calls?: bigint; metrics?: Record<string, { calls: bigint }> };
  durationNs: bigint;
  counterexample?: EdrCall | { originalSequenceSize: bigint; sequence: EdrCall[] } | null;
}
interface EdrSuite {
  id: { name: string };
  testResults: EdrTest[];
}
interface TestTaskResult {
  success: boolean;
  value?: { suiteResults: EdrSuite[] };
  error?: { suiteResults: EdrSuite[] };
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set; this script is run by fuzz.ts`);
  return value;
}

function toCall(call: EdrCall): FuzzCall {
  return {
    contract: call.contractName ?? null,
    signature: call.signature ?? null,
    args: call.args ?? null,
    calldata: `0x${Buffer.from(call.calldata).toString("hex")}`,
  };
}

function toTest(contract: string, test: EdrTest): FuzzTest {
  const { runs, calls, metrics = {} } = test.kind;
  const example = test.counterexample ?? null;
  return {
    contract,
    name: test.name,
    status: test.status,
    reason: test.reason ?? null,
    runs: runs === undefined ? null : Number(runs),
    calls: calls === undefined ? null : Number(calls),
    metricCalls: Object.values(metrics).reduce((sum, m) => sum + Number(m.calls), 0),
    durationMs: Math.round(Number(test.durationNs) / 1e6),
    counterexample:
      example === null
        ? null
        : "sequence" in example
          ? { originalLength: Number(example.originalSequenceSize), calls: example.sequence.map(toCall) }
          : { originalLength: 1, calls: [toCall(example)] },
  };
}

const spec = required("INTENTKIT_FUZZ_SPEC");
const reportFile = required("INTENTKIT_FUZZ_REPORT");
const deadline = Number(required("INTENTKIT_FUZZ_DEADLINE"));

const writeReport = (report: FuzzReport) => writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);

// EDR runs the campaigns on native threads, so the event loop is free to give up on time.
const timer = setTimeout(
  () => void writeReport({ finished: false, tests: [] }).finally(() => process.exit(124)),
  Math.max(0, deadline - Date.now()),
);
const result = (await hre.tasks.getTask(["test", "solidity"]).run({ testFiles: [spec] })) as TestTaskResult;
clearTimeout(timer);
const suites = (result.success ? result.value : result.error)?.suiteResults ?? [];
await writeReport({
  finished: true,
  tests: suites.flatMap((suite) => suite.testResults.map((test) => toTest(suite.id.name, test))),
});
