// `npm run demo`: a walk through the operator tasks (the main job, `npm start`, is the pipeline): starts a real node on 127.0.0.1,
// deploys the system with the Ignition module, and walks intents through their lifecycle with
// the operator tasks, each run exactly as a person would type it (`npx hardhat <task> <subtask> ...`).
// Every command is printed before its output, so the run doubles as a walkthrough. The node is
// stopped at the end, and the run fails on the first task that fails or any state that is wrong.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { startLocalChain } from "./lib/local-chain.js";

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("../package.json"));
const hardhatCli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

// The node's test accounts: `--from` takes their index, other options their address.
const SOLVER = "1";
const SOLVER_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const USER = "2";
const USER_ADDRESS = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const RELAYER = "4";

const chain = await startLocalChain({ engine: "anvil" });
console.log(`Started anvil on ${chain.url} (chain ${chain.chainId}); it stops when this run ends.\n`);
const env = { ...process.env, INTENTKIT_LOCALHOST_URL: chain.url, INTENTKIT_DEPLOYMENT: "main-job" };

/** Runs one task, printing the command and its output; returns stdout. */
function task(name: string, args: string[], { quiet = false } = {}): string {
  const shown = ["npx hardhat", name, "--network localhost", ...args].join(" ");
  console.log(`$ ${shown}`);
  const stdout = execFileSync(process.execPath, [hardhatCli, ...name.split(" "), "--network", "localhost", ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (!quiet) console.log(stdout.trimEnd());
  console.log("");
  return stdout;
}

function statusOf(id: string): string {
  const status = JSON.parse(task("intent status", [id, "--json"], { quiet: true })).status as string;
  console.log(`  → intent ${id.slice(0, 10)}… is ${status}\n`);
  return status;
}

function expectStatus(id: string, expected: string): void {
  const actual = statusOf(id);
  if (actual !== expected) throw new Error(`intent ${id} is ${actual}, expected ${expected}`);
}

try {
  console.log("== Deploy with the Ignition module (deploy/modules/IntentKit.ts, deploy/parameters/localhost.json)\n");
  task("system deploy", ["--reset"]);

  console.log("== Fund the accounts (mock tokens) and bond a solver\n");
  task("token mint", ["--token", "STK", "--to", SOLVER_ADDRESS, "--amount", "2000"]);
  task("token mint", ["--token", "WETH", "--to", USER_ADDRESS, "--amount", "10"]);
  task("token mint", ["--token", "USDC", "--to", SOLVER_ADDRESS, "--amount", "10000"]);
  task("solver register", ["--bond", "1500", "--approve", "--from", SOLVER]);

  console.log("== A swap, submitted by its user: 1 WETH for at least 3,000 USDC\n");
  const swap = JSON.parse(
    task("intent submit", [
      "--type",
      "swap",
      "--token",
      "WETH",
      "--amount",
      "1",
      "--token-out",
      "USDC",
      "--min-out",
      "3000",
      "--recipient",
      RECIPIENT,
      "--from",
      USER,
      "--approve",
      "--json",
    ]),
  ).id as string;
  expectStatus(swap, "Pending");
  task("intent claim", [swap, "--from", SOLVER], { quiet: true });
  expectStatus(swap, "Executing");
  task("intent fulfill", [swap, "--from", SOLVER, "--approve"], { quiet: true });
  expectStatus(swap, "Completed");
  task("token balance", ["--account", RECIPIENT, "--token", "USDC"]);

  console.log("== A transfer, signed by its user and relayed; the solver lets its claim lapse\n");
  const dir = mkdtempSync(path.join(tmpdir(), "intentkit-"));
  const signed = path.join(dir, "signed-intent.json");
  task("intent sign", [
    "--type",
    "transfer",
    "--token",
    "WETH",
    "--amount",
    "0.5",
    "--recipient",
    RECIPIENT,
    "--from",
    USER,
    "--approve",
    "--out",
    signed,
  ]);
  const transfer = JSON.parse(task("intent relay", [signed, "--from", RELAYER, "--json"], { quiet: true }))
    .id as string;
  expectStatus(transfer, "Pending");
  task("intent claim", [transfer, "--from", SOLVER], { quiet: true });
  expectStatus(transfer, "Executing");
  task("chain advance", ["--by", "11m"]);
  task("intent fail", [transfer, "--from", RELAYER], { quiet: true });
  console.log("  (the solver was slashed 100 STK in the user's favour; the intent went back to the queue)");
  expectStatus(transfer, "Pending");
  task("intent cancel", [transfer, "--from", USER], { quiet: true });
  expectStatus(transfer, "Cancelled");

  console.log("== The solver's on-chain record, and the system\n");
  task("solver list", []);
  task("system status", []);
  console.log("Main job passed: deployed, one swap completed, one failed claim slashed, one intent cancelled.");
} finally {
  await chain.stop();
}
