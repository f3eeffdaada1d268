// The contracts intentkit deploys to a real network: the ones whose creation bytecode defines a
// build (the pipeline's buildHash) and that later stages deploy and verify. Mock tokens and the
// helpers under contracts/test/ only ever reach local chains, so they are not part of a build.
export const DEPLOYABLE_CONTRACTS = [
  { name: "SolverRegistry", sourceName: "contracts/SolverRegistry.sol" },
  { name: "IntentVerifier", sourceName: "contracts/IntentVerifier.sol" },
] as const;
