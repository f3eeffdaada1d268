// What the `specs` stage reads (a spec's config) and what it reports (one result per property).
//
// A spec is one Solidity harness per component (specs/<Component>.spec.sol) plus its config
// (specs/<Component>.conf.json). Every property is one function of the harness whose NatSpec
// @notice is the property's statement:
//   rule_<name>(args)   for any state and any arguments satisfying the require()s at its top,
//                       the call it makes leads to the assert()ed postcondition;
//   invariant_<name>()  holds in every reachable state.
// The config says which engine checks the spec: `smt` (solc's SMTChecker, CHC engine, proves or
// refutes) or `fuzz` (Hardhat 3's invariant/fuzz testing on EDR, runs and depth from the config).
export type PropertyKind = "rule" | "invariant";
export type Engine = "smt" | "fuzz";
export type PropertyOutcome = "proved" | "held" | "violated" | "unknown" | "vacuous";

export interface PropertyResult {
  property: string;
  kind: PropertyKind;
  component: string;
  engine: Engine;
  result: PropertyOutcome;
  /** Fuzz: runs made; smt: null. */
  runs: number | null;
  /** Fuzz: calls per run; smt: null. */
  depth: number | null;
  /** smt: the SMTChecker's counterexample; fuzz: the (shrunk) call sequence; else null. */
  counterexample: string | null;
  durationMs: number;
  /** The @notice of the property function: what it states. */
  statement: string;
  /** The spec file the property is written in, relative to the project root. */
  spec: string;
  /** True when the result was not reached in this run but read from the specs cache, stored by
   * an earlier run over the very same inputs (the durationMs is that run's). */
  cached: boolean;
}
