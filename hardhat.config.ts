import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { intentkitTasks } from "./tasks/index.js";

// No compiler download host is reachable from our machines or CI, so the compiler is the
// soljson build shipped in the npm `solc` package, pinned exactly in package.json.
const require = createRequire(import.meta.url);
const SOLC_VERSION = "0.8.30";
const soljsonPath = require.resolve("solc/soljson.js");

const PRODUCTION_COMPILER = {
  version: SOLC_VERSION,
  path: soljsonPath,
  settings: {
    evmVersion: "prague",
    viaIR: true,
    // submit/claim/fulfill run once per intent, forever; deployment runs once. 10,000 runs
    // tells the optimizer to favour cheap calls over small bytecode. Both contracts stay well
    // under the 24 KiB limit at this setting (checked by the deploy tests).
    optimizer: { enabled: true, runs: 10_000 },
  },
};
/** Test scaffolding's compiler: legacy codegen, which compiles about five times faster. */
export const SCAFFOLDING_COMPILER = {
  ...PRODUCTION_COMPILER,
  settings: { evmVersion: "prague", optimizer: { enabled: true, runs: 200 } },
};
/** Solidity tests compiled with {@link SCAFFOLDING_COMPILER} (see `solidity.overrides`). */
export const TEST_SCAFFOLDING = [
  "test/solidity/invariants/IntentSystem.t.sol",
  "test/solidity/invariants/IntentSystemDeployment.sol",
  // Its own root too: the fuzzer knows a target by the bytecode of its artifact.
  "test/solidity/invariants/handlers/IntentSystemHandler.sol",
  "test/solidity/RateLimitReconfigure.t.sol",
];

// Nodes estimate the exact gas a call needs in the pending block, but a submission's rate-limit
// write costs a little more or less depending on the timestamp it is mined at (a drained bucket
// slot goes to zero or not). Transactions sent by the tasks carry 20 % more gas than estimated.
const GAS_MARGIN = 1.2;

// Hardhat's `test mocha` has no reporter option. With INTENTKIT_MOCHA_REPORT=<file>, mocha runs
// keep the spec output and also write their results to <file>: JUnit XML for a name ending in
// .xml, Mocha's JSON otherwise (the integration stage's report: scripts/pipeline/integration/).
const mochaReport = process.env.INTENTKIT_MOCHA_REPORT;
const mochaReporter =
  mochaReport !== undefined && mochaReport !== ""
    ? {
        reporter: require.resolve("./scripts/pipeline/integration/reporter.cjs"),
        reporterOptions: { output: mochaReport },
      }
    : {};
// INTENTKIT_MOCHA_DRY_RUN lists the tests without running them (scripts/test-titles.mjs).
const mochaDryRun = process.env.INTENTKIT_MOCHA_DRY_RUN === "1" ? { dryRun: true } : {};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  tasks: intentkitTasks,
  networks: {
    // A node on this machine (`npx hardhat chain start`, or any node on 127.0.0.1): its own
    // unlocked accounts sign. INTENTKIT_LOCALHOST_URL points tasks at another port.
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.INTENTKIT_LOCALHOST_URL ?? "http://127.0.0.1:8545",
      gasMultiplier: GAS_MARGIN,
    },
    // The pipeline's stand-in for mainnet when no --mainnet is given: a node it spawns on
    // 127.0.0.1 (the URL is overridden per run), marked production in pipeline.config.json, so
    // that a rehearsal passes every gate a real rollout does. Its deployer key, like a real
    // one, comes from the keystore: the pipeline stores anvil's well-known (worthless) first
    // key in the development keystore the first time, and Hardhat reads it from the
    // environment under CI, where it reads no keystore.
    rehearsalMainnet: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8546",
      accounts: [configVariable("INTENTKIT_REHEARSAL_DEPLOYER_KEY")],
      gasMultiplier: GAS_MARGIN,
    },
    // A public testnet. The URL and the deployer's key come from the encrypted keystore
    // (`npx hardhat keystore set SEPOLIA_RPC_URL`, `... INTENTKIT_DEPLOYER_KEY`), never a file.
    sepolia: {
      type: "http",
      chainType: "l1",
      chainId: 11155111,
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("INTENTKIT_DEPLOYER_KEY")],
      gasMultiplier: GAS_MARGIN,
    },
    // Ethereum mainnet, for `npx hardhat pipeline --mainnet mainnet` once pipeline.config.json
    // marks it production and names its admin (multisig or timelock) and gas ceiling.
    mainnet: {
      type: "http",
      chainType: "l1",
      chainId: 1,
      url: configVariable("MAINNET_RPC_URL"),
      accounts: [configVariable("INTENTKIT_DEPLOYER_KEY")],
      gasMultiplier: GAS_MARGIN,
    },
  },
  solidity: {
    compilers: [PRODUCTION_COMPILER],
    // Test scaffolding that deploys the real contracts from their artifacts (vm.getCode) and
    // reaches them through their interfaces: its own bytecode is never measured nor deployed, so
    // it compiles with legacy codegen, about five times faster than under via-IR. Tests whose
    // code inlines a library under test (RateLimit, the validation rules) keep the production
    // settings, since they test what that compiler output does and what it costs.
    overrides: Object.fromEntries(TEST_SCAFFOLDING.map((file) => [file, SCAFFOLDING_COMPILER])),
  },
  paths: {
    tests: { solidity: "test/solidity", mocha: "test/mocha" },
  },
  test: {
    solidity: {
      // A fixed seed makes fuzz runs, and so the medians in .gas-snapshot, reproducible.
      fuzz: { runs: 256, seed: "0x1e3e7c1" },
      // The gas benchmark test writes its measurement here for `npm run bench` to report.
      fsPermissions: { writeFile: ["reports/rate-limit-gas.json"] },
      invariant: { runs: 64, depth: 64, failOnRevert: false },
    },
    mocha: { ...mochaReporter, ...mochaDryRun },
  },
  typechain: { outDir: "types/ethers-contracts" },
  // Block-explorer submission in the pipeline's verify stage; skipped while ETHERSCAN_API_KEY
  // is not set (and always on local chains).
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
});
