// The CLI contract, held by real `npx hardhat` processes (every other task test runs in-process):
// the help lists the nested tasks; typed and positional arguments are parsed by Hardhat; bad
// input to each task group exits non-zero with exactly one `error:` line and sends nothing; an
// unexpected error goes through Hardhat's plugin errors, with its trace under --show-stack-traces.
// The processes start side by side in `before` (each costs ~1.2 s of start-up); the tests read
// their results.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";

import { ACCOUNTS, runHardhat, terminalEnv, type TaskRun } from "./harness.js";
import { startTaskEnv, type TaskEnv } from "./in-process.js";

/** A JSON-RPC endpoint that says it is chain 31337 and answers null to everything else. */
async function nullNode(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ jsonrpc: "2.0", id, result: method === "eth_chainId" ? "0x7a69" : null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** One line on stderr, `error: ` and `message`, a non-zero exit. */
function expectOneErrorLine(run: TaskRun, message: RegExp): void {
  expect(run.code, run.stdout).to.not.equal(0);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^error: /);
  expect(lines[0]).to.match(message);
}

describe("tasks: the CLI contract (npx hardhat subprocesses)", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let node: { url: string; server: Server };
  let nonces: Record<string, number>;
  const runs: Record<string, TaskRun> = {};

  before(async function () {
    t = await startTaskEnv();
    node = await nullNode();
    const accounts = [ACCOUNTS.deployer, ACCOUNTS.solver, ACCOUNTS.user];
    nonces = Object.fromEntries(await Promise.all(accounts.map(async (a) => [a, await t.nonce(a)] as const)));
    const env = terminalEnv({ INTENTKIT_LOCALHOST_URL: t.chain.url, INTENTKIT_DEPLOYMENT: t.deploymentId });
    const local = ["--network", "localhost"];
    const commands: Record<string, [string[], NodeJS.ProcessEnv?]> = {
      help: [["--help"]],
      badInt: [["chain", "start", "--port", "eighty"]],
      intent: [["intent", "status", "0xabc", ...local]],
      solver: [["solver", "register", "--bond", "ten", "--from", "1", ...local]],
      admin: [["admin", "pause", "--target", "everything", ...local]],
      ratelimit: [["ratelimit", "set", "--scope", "planet", "--limit", "1", "--window", "1", ...local]],
      token: [["token", "mint", "--token", "DOGE", "--to", ACCOUNTS.user, "--amount", "1", ...local]],
      system: [["system", "deploy", "--parameters", "nowhere.json", ...local]],
      chain: [["chain", "advance", "--by", "soon", ...local]],
      nodeDown: [["system", "status", ...local], { INTENTKIT_LOCALHOST_URL: "http://127.0.0.1:9" }],
      sepolia: [["system", "status", "--network", "sepolia"]],
      unexpected: [["chain", "advance", "--by", "1m", ...local], { INTENTKIT_LOCALHOST_URL: node.url }],
      unexpectedTrace: [
        ["chain", "advance", "--by", "1m", "--show-stack-traces", ...local],
        { INTENTKIT_LOCALHOST_URL: node.url },
      ],
      underCi: [["chain", "advance", "--by", "soon", ...local], { CI: "true" }],
      underCiUnexpected: [
        ["chain", "advance", "--by", "1m", ...local],
        { CI: "true", INTENTKIT_LOCALHOST_URL: node.url },
      ],
      underCiTrace: [["chain", "advance", "--by", "soon", "--show-stack-traces", ...local], { CI: "true" }],
    };
    // Two at a time: this machine has two cores.
    const queue = Object.entries(commands);
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [name, [args, extra]] = next;
        runs[name] = await runHardhat(args, { ...env, ...extra });
      }
    };
    await Promise.all([worker(), worker()]);
  });
  after(async function () {
    node?.server.close();
    await t?.stop();
  });

  it("lists every task group's nested tasks in `npx hardhat --help`", function () {
    const help = runs.help;
    expect(help.code, help.stderr).to.equal(0);
    for (const name of [
      "intent submit",
      "intent status",
      "solver register",
      "admin pause",
      "admin grant-role",
      "ratelimit set",
      "token mint",
      "system deploy",
      "chain start",
      "chain advance",
    ]) {
      expect(help.stdout).to.match(new RegExp(`^  ${name} `, "m"));
    }
    expect(help.stdout).to.match(/^  pipeline /m);
    expect(help.stdout).to.not.match(/intent:submit/);
  });

  it("parses positional and typed arguments with Hardhat's parser", function () {
    // The positional id reaches the task, which checks it (`intent status 0xabc`).
    expectOneErrorLine(runs.intent, /<id>: "0xabc" is not a 32-byte hex id/);
    // A non-integer INT is refused by Hardhat's parser before the task runs.
    expect(runs.badInt.code).to.not.equal(0);
    expect(runs.badInt.stderr).to.match(/HHE\d+.*eighty.*port|HHE\d+.*port.*eighty/i);
  });

  for (const [group, message] of [
    ["intent", /<id>: "0xabc" is not a 32-byte hex id/],
    ["solver", /--bond: "ten" is not an amount/],
    ["admin", /--target: "everything" is not one of verifier, registry, all/],
    ["ratelimit", /--scope: "planet" is not one of user, global, solver/],
    ["token", /--token: "DOGE" is neither an address nor a token of this deployment/],
    ["system", /no deployment parameters at .*nowhere\.json/],
    ["chain", /--by: "soon" is not a duration/],
  ] as const) {
    it(`refuses bad input to \`${group}\` with one error line and a non-zero exit`, function () {
      expectOneErrorLine(runs[group], message);
    });
  }

  it("sent no transaction for any refused input", async function () {
    for (const [account, nonce] of Object.entries(nonces)) expect(await t.nonce(account), account).to.equal(nonce);
  });

  it("says so when the node is not running", function () {
    expectOneErrorLine(runs.nodeDown, /cannot reach network "localhost"/);
  });

  it("asks for the keystore entry a configured network needs, without connecting anywhere", function () {
    expect(runs.sepolia.code).to.not.equal(0);
    expect(runs.sepolia.stderr.trim()).to.equal(
      'error: network "sepolia" needs SEPOLIA_RPC_URL: store it with `npx hardhat keystore set SEPOLIA_RPC_URL` (or set the environment variable)',
    );
  });

  it("reports an unexpected error as an intentkit plugin error, with its stack under --show-stack-traces", function () {
    const plain = runs.unexpected;
    expect(plain.code).to.not.equal(0);
    expect(plain.stderr).to.match(/Error in community plugin intentkit: .*Cannot read properties of null/);
    expect(plain.stderr).to.match(/run Hardhat with --show-stack-traces/);
    expect(plain.stderr).to.not.match(/^\s+at /m);

    const traced = runs.unexpectedTrace;
    expect(traced.code).to.not.equal(0);
    expect(traced.stderr).to.match(/Error in community plugin intentkit: /);
    expect(traced.stderr).to.match(/^\s+at .*tasks\/actions\/chain\/advance\.ts/m);
  });

  it("keeps bad input to one error line under CI, and shows traces there as Hardhat does", function () {
    // Hardhat turns --show-stack-traces on by itself under CI: an unexpected error shows its
    // trace; bad input stays one line unless the flag is typed.
    expectOneErrorLine(runs.underCi, /--by: "soon" is not a duration/);
    const unexpected = runs.underCiUnexpected;
    expect(unexpected.code).to.not.equal(0);
    expect(unexpected.stderr).to.match(/Error in community plugin intentkit: .*Cannot read properties of null/);
    expect(unexpected.stderr).to.match(/^\s+at .*tasks\/actions\/chain\/advance\.ts/m);
    const traced = runs.underCiTrace;
    expect(traced.code).to.not.equal(0);
    expect(traced.stderr).to.match(/Error in community plugin intentkit: --by: "soon" is not a duration/);
    expect(traced.stderr).to.match(/^\s+at /m);
  });
});
