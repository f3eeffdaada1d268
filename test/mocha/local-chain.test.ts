import { spawn } from "node:child_process";
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import { rpc, startLocalChain } from "../../scripts/lib/local-chain.js";
import { ACCOUNTS, ROOT } from "./tasks/harness.js";

async function answers(url: string): Promise<boolean> {
  try {
    await rpc(url, "eth_chainId");
    return true;
  } catch {
    return false;
  }
}

describe("local chains (scripts/lib/local-chain.ts)", function () {
  this.timeout(120_000);

  for (const engine of ["anvil", "hardhat"] as const) {
    it(`starts ${engine} on 127.0.0.1 with the chosen chain id and the test accounts, and stops it`, async function () {
      const chain = await startLocalChain({ engine, chainId: 4242 });
      try {
        expect(chain.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(Number(await rpc<string>(chain.url, "eth_chainId"))).to.equal(4242);
        const accounts = await rpc<string[]>(chain.url, "eth_accounts");
        expect(accounts.slice(0, 3).map((a) => a.toLowerCase())).to.deep.equal(
          [ACCOUNTS.deployer, ACCOUNTS.solver, ACCOUNTS.user].map((a) => a.toLowerCase()),
        );
      } finally {
        await chain.stop();
      }
      expect(await answers(chain.url)).to.equal(false);
    });
  }

  it("starts chains side by side on free ports of their own", async function () {
    const chains = await Promise.all([startLocalChain(), startLocalChain(), startLocalChain()]);
    try {
      expect(new Set(chains.map((chain) => chain.port)).size).to.equal(3);
      for (const chain of chains) expect(Number(await rpc<string>(chain.url, "eth_chainId"))).to.equal(31337);
    } finally {
      await Promise.all(chains.map((chain) => chain.stop()));
    }
  });

  it("refuses a port that is taken, with the port in the message", async function () {
    const chain = await startLocalChain();
    try {
      await startLocalChain({ port: chain.port }).then(
        () => expect.fail("a second node started on a taken port"),
        (error: Error) =>
          expect(error.message).to.equal(`port ${chain.port} on 127.0.0.1 is already in use; pick another with --port`),
      );
    } finally {
      await chain.stop();
    }
  });

  it("leaves no node behind when the process that started it is killed", async function () {
    // A child process starts a node, reports its URL, and is then SIGKILLed: no cleanup code runs.
    const dir = await mkdtemp(path.join(tmpdir(), "intentkit-orphan-"));
    const script = path.join(dir, "starter.ts");
    const lib = pathToFileURL(path.join(ROOT, "scripts/lib/local-chain.ts")).href;
    await writeFile(
      script,
      `import { startLocalChain } from ${JSON.stringify(lib)};\n` +
        `const chain = await startLocalChain();\nconsole.log(chain.url);\nsetInterval(() => {}, 1000);\n`,
    );
    const starter = spawn(process.execPath, ["--experimental-strip-types", "--no-warnings", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      starter.stdout.on("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      starter.once("exit", () => reject(new Error("starter exited early")));
    });
    expect(await answers(url)).to.equal(true);
    starter.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while ((await answers(url)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await answers(url), "node still answering after its parent died").to.equal(false);
  });
});
