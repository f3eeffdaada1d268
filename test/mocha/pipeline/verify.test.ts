// The verify stage's library against a real deployment: anvil on 127.0.0.1, the system deployed
// by `system:deploy` as a subprocess, a manifest built from its record. Every check must pass on
// the untouched deployment, and fail, naming the contract and the byte, once the code on chain is
// replaced (anvil_setCode).
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, getAddress, getBytes, hexlify, id, keccak256, zeroPadValue } from "ethers";

import { freePort } from "../../../scripts/lib/local-chain.js";
import type { DeploymentManifest } from "../../../scripts/pipeline/deploy/manifest.js";
import { PipelineError } from "../../../scripts/pipeline/errors.js";
import type { StageContext } from "../../../scripts/pipeline/stage.js";
import { loadContractBuild } from "../../../scripts/pipeline/verify/artifacts.js";
import { checkBytecode, metadataRange } from "../../../scripts/pipeline/verify/bytecode.js";
import { verifyOnExplorer, type HardhatRunner } from "../../../scripts/pipeline/verify/explorer.js";
import { SolcJsCompiler } from "../../../scripts/pipeline/verify/solc.js";
import type { SourcifyResult } from "../../../scripts/pipeline/verify/sourcify.js";
import {
  renderVerifyMarkdown,
  renderVerifyTable,
  verifyDeployment,
  writeVerifyReport,
  type VerifyReport,
} from "../../../scripts/pipeline/verify/verify-deployment.js";
import { ROOT, startTaskChain, type TaskChain } from "../tasks/harness.js";
import { manifestOf } from "./manifest-fixture.js";

// The stage's logged runner is what verifyDeployment takes as runHardhat.
const stageRunnerFits: StageContext["hardhat"] extends HardhatRunner ? true : never = true;
void stageRunnerFits;

const asSourcify = (s: VerifyReport["contracts"][number]["sourcify"]) => s as SourcifyResult;

describe("pipeline: verify (bytecode, Sourcify and explorer checks of a local deployment)", function () {
  this.timeout(300_000);
  let t: TaskChain;
  let manifest: DeploymentManifest;
  let compiler: SolcJsCompiler;
  let report: VerifyReport;
  const progress: string[] = [];

  const verify = (m: DeploymentManifest = manifest) =>
    verifyDeployment({ root: ROOT, manifest: m, compiler, etherscanApiKey: undefined });
  const contract = (r: VerifyReport, name: string) => r.contracts.find((c) => c.name === name)!;

  before(async function () {
    t = await startTaskChain();
    manifest = await manifestOf(t);
    compiler = new SolcJsCompiler();
    report = await verifyDeployment({
      root: ROOT,
      manifest,
      compiler,
      etherscanApiKey: undefined,
      onProgress: (line) => progress.push(line),
    });
  });
  after(async function () {
    await compiler?.close();
    await t?.stop();
  });

  it("matches every contract's runtime code with its artifact, immutables blanked and their values reported", async function () {
    expect(report.ok, renderVerifyTable(report).join("\n")).to.equal(true);
    expect(report.contracts.map((c) => c.name)).to.have.members(Object.keys(manifest.contracts));
    expect(report.contracts).to.have.length(5);
    for (const c of report.contracts) {
      expect(c.bytecode.status, `${c.name}: ${c.bytecode.reason}`).to.equal("match");
      const code = await t.rpc<string>("eth_getCode", [c.address, "latest"]);
      expect(c.bytecode.onChainHash).to.equal(keccak256(code));
      expect(c.bytecode.onChainLength).to.equal(getBytes(code).length);
      // The metadata trailer is part of the comparison, not blanked.
      expect(c.bytecode.metadata!.length).to.be.greaterThan(40);
    }

    // IntentVerifier: EIP712's five cached values and two ShortStrings, and the registry (read in
    // seven places): 8 immutables in 14 byte ranges, as solc reports them in the artifact.
    const verifier = contract(report, "IntentVerifier");
    const artifact = JSON.parse(
      await readFile(path.join(ROOT, "artifacts/contracts/IntentVerifier.sol/IntentVerifier.json"), "utf8"),
    );
    expect(verifier.bytecode.immutableCount).to.equal(Object.keys(artifact.immutableReferences).length);
    expect(verifier.bytecode.immutableCount).to.equal(8);
    expect(verifier.bytecode.immutableReferenceCount).to.equal(14);
    const value = (name: string) => verifier.bytecode.immutables.find((i) => i.name === name)!.value;
    const registry = manifest.contracts.SolverRegistry.address;
    expect(value("IntentVerifier.registry")).to.equal(zeroPadValue(registry, 32).toLowerCase());
    expect(verifier.bytecode.immutables.find((i) => i.name === "IntentVerifier.registry")!.references).to.have.length(
      7,
    );
    expect(value("EIP712._cachedThis")).to.equal(zeroPadValue(verifier.address, 32).toLowerCase());
    expect(BigInt(value("EIP712._cachedChainId"))).to.equal(31337n);
    const domainSeparator = id("domainSeparator()").slice(0, 10);
    const domain = await t.rpc<string>("eth_call", [{ to: verifier.address, data: domainSeparator }, "latest"]);
    expect(value("EIP712._cachedDomainSeparator")).to.equal(domain);
    expect(verifier.bytecode.immutables.every((i) => i.consistent)).to.equal(true);

    // The other contracts: observed counts, tied to their artifacts.
    for (const name of ["SolverRegistry", "MockWETH"]) {
      const c = contract(report, name);
      const build = await loadContractBuild(ROOT, c.contractName, c.sourceName);
      expect(c.bytecode.immutableCount, name).to.equal(Object.keys(build.immutableReferences).length);
    }
    expect(contract(report, "SolverRegistry").bytecode.immutableCount).to.equal(1);
    expect(contract(report, "SolverRegistry").bytecode.immutables[0].name).to.equal("SolverRegistry.stakeToken");
    expect(contract(report, "SolverRegistry").bytecode.immutables[0].value).to.equal(
      zeroPadValue(manifest.contracts.MockSTK.address, 32).toLowerCase(),
    );
    expect(contract(report, "MockWETH").bytecode.immutableCount).to.equal(0);
  });

  it("gets a perfect Sourcify match for every contract: runtime code, creation transaction and metadata hash", function () {
    for (const c of report.contracts) {
      const s = asSourcify(c.sourcify);
      // The build info holds the exact solc input, so solc-js rebuilds the same metadata and hash.
      expect(s.status, `${c.name}: ${s.reason}`).to.equal("perfect");
      expect(s.runtimeMatch).to.equal("perfect");
      expect(s.creationChecked).to.equal(true);
      expect(s.creationMatch).to.equal("perfect");
      expect(s.constructorArguments!.equal, c.name).to.equal(true);
      expect(s.compilerVersion).to.equal("0.8.30+commit.73712a01");
    }
    const verifier = asSourcify(contract(report, "IntentVerifier").sourcify);
    expect(verifier.runtimeTransformations).to.deep.equal(["immutable"]);
    // The constructor arguments Sourcify read from the creation transaction are the deployed ones.
    const [registry, admin, delay] = AbiCoder.defaultAbiCoder().decode(
      ["address", "address", "uint48"],
      verifier.constructorArguments!.onChain,
    );
    expect(registry).to.equal(getAddress(manifest.contracts.SolverRegistry.address));
    expect(admin).to.equal(manifest.deployer);
    expect(delay).to.equal(0n);
    // Three mocks of one contract and two system contracts: three inputs, each compiled once.
    // IntentVerifier's creation code carries data after the runtime code's metadata; lib-sourcify
    // would compile it again with edited sources to find it, the check finds it in the runtime
    // object the creation code embeds (and the tampered-metadata test below proves the offsets).
    expect(report.compilations.count).to.equal(3);
    expect(progress.some((l) => l.startsWith("sourcify IntentVerifier: perfect"))).to.equal(true);
  });

  it("skips the explorer on a local chain and without an API key, and runs hardhat verify etherscan with one", async function () {
    for (const c of report.contracts)
      expect(c.explorer).to.deep.equal({ status: "skipped", reason: "local chain: no explorer" });

    const remote = { ...manifest, local: false, network: "sepolia" };
    const verifier = manifest.contracts.IntentVerifier;
    const calls: string[][] = [];
    let argsModule = "";
    const runner =
      (code: number, tail: string[]): HardhatRunner =>
      async (args) => {
        calls.push(args);
        argsModule = await readFile(args[args.indexOf("--constructor-args-path") + 1], "utf8");
        return { code, tail };
      };
    const base = { name: "IntentVerifier", contract: verifier, manifest: remote };
    expect(await verifyOnExplorer({ ...base, apiKey: undefined, runHardhat: runner(0, []) })).to.deep.equal({
      status: "skipped",
      reason: "no ETHERSCAN_API_KEY configured",
    });
    expect(calls).to.have.length(0);

    const ok = await verifyOnExplorer({
      ...base,
      apiKey: "key",
      runHardhat: runner(0, [
        "✅ Contract verified successfully on Etherscan!",
        "  Explorer: https://sepolia.etherscan.io/address/0x1#code",
      ]),
    });
    expect(ok).to.deep.equal({
      status: "verified",
      reason: "verified",
      url: "https://sepolia.etherscan.io/address/0x1#code",
    });
    expect(calls[0].slice(0, 6)).to.deep.equal([
      "--network",
      "sepolia",
      "verify",
      "etherscan",
      "--contract",
      "contracts/IntentVerifier.sol:IntentVerifier",
    ]);
    expect(calls[0].at(-1)).to.equal(verifier.address);
    expect(argsModule).to.equal(`export default ${JSON.stringify(verifier.constructorArgs, null, 2)};\n`);

    // What hardhat-verify prints when it refuses (seen with --network localhost).
    const refused = [
      'Error HHE80000 in plugin hardhat-verify: The network "localhost" with chain id "31337" is not supported.',
      "",
      "For more info go to https://hardhat.org/HHE80000 or run Hardhat with --show-stack-traces",
    ];
    const failed = await verifyOnExplorer({ ...base, apiKey: "key", runHardhat: runner(1, refused) });
    expect(failed).to.deep.equal({ status: "failed", reason: `hardhat verify etherscan exited 1: ${refused[0]}` });
    const withLog = await verifyOnExplorer({
      ...base,
      apiKey: "key",
      runHardhat: async () => ({ code: 0, tail: ["has already been verified on Etherscan."], logFile: "x.log" }),
    });
    expect(withLog).to.deep.equal({ status: "verified", reason: "already verified", logFile: "x.log" });
  });

  it("writes verify.json and renders a terminal table and Markdown", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "intentkit-verify-report-"));
    try {
      await writeVerifyReport(path.join(dir, "verify.json"), report);
      const written = JSON.parse(await readFile(path.join(dir, "verify.json"), "utf8"));
      expect(written.ok).to.equal(true);
      expect(written.contracts).to.have.length(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const table = renderVerifyTable(report);
    expect(table[0]).to.match(/^contract\s+address\s+bytecode\s+sourcify\s+explorer$/);
    expect(table.find((l) => l.startsWith("IntentVerifier"))).to.match(/match \(8 immutables\)\s+perfect/);
    expect(table).to.include("explorer skipped: local chain: no explorer");
    expect(table.at(-1)).to.match(/^5 contracts verified on chain 31337 in /);
    expect(renderVerifyMarkdown(report)).to.include("| IntentVerifier | `");
  });

  describe("with the IntentVerifier's code replaced on chain", function () {
    let original: string;
    let verifierAddress: string;
    before(async function () {
      verifierAddress = manifest.contracts.IntentVerifier.address;
      original = await t.rpc<string>("eth_getCode", [verifierAddress, "latest"]);
    });
    afterEach(async function () {
      await t.rpc("anvil_setCode", [verifierAddress, original]);
    });

    it("fails on one byte changed outside the immutables, naming the contract and the offset", async function () {
      const build = await loadContractBuild(ROOT, "IntentVerifier", "contracts/IntentVerifier.sol");
      const code = getBytes(build.deployedBytecode);
      const ranges = Object.values(build.immutableReferences).flat();
      const meta = metadataRange(code)!;
      // A byte in the middle of the code, in no immutable and before the metadata.
      let offset = Math.floor(code.length / 2);
      while (ranges.some((r) => offset >= r.start && offset < r.start + r.length)) offset++;
      expect(offset).to.be.lessThan(meta.start);
      code[offset] ^= 0x01;
      await t.rpc("anvil_setCode", [verifierAddress, hexlify(code)]);

      const tampered = await verify();
      expect(tampered.ok).to.equal(false);
      const verifier = contract(tampered, "IntentVerifier");
      expect(verifier.bytecode.status).to.equal("mismatch");
      expect(verifier.bytecode.firstDifference).to.equal(offset);
      expect(verifier.bytecode.reason).to.equal(
        `runtime code differs from the artifact at byte ${offset}; on chain ${code.length} bytes, artifact ${code.length} bytes`,
      );
      // The artifact's code carries zeros where the immutables go: they read as zero now.
      expect(BigInt(verifier.bytecode.immutables.find((i) => i.name === "IntentVerifier.registry")!.value)).to.equal(
        0n,
      );
      const s = asSourcify(verifier.sourcify);
      expect(s.status).to.equal("mismatch");
      // Same length, same metadata hash, different code: lib-sourcify gives up with this code.
      expect(s.errorCode).to.equal("extra_file_input_bug");
      expect(s.reason).to.match(/code on chain was altered/);
      // Only the replaced contract fails.
      for (const c of tampered.contracts.filter((c) => c.name !== "IntentVerifier")) {
        expect(c.bytecode.status, c.name).to.equal("match");
        expect(asSourcify(c.sourcify).status, c.name).to.equal("perfect");
      }
      expect(renderVerifyTable(tampered).at(-1)).to.equal("1 of 5 contracts failed verification: IntentVerifier");
      expect(renderVerifyTable(tampered)).to.include(`IntentVerifier: bytecode: ${verifier.bytecode.reason}`);
      expect(tampered.compilations.count).to.equal(0);
    });

    it("fails on one byte changed in the metadata hash, which Sourcify still calls a partial match", async function () {
      const code = getBytes(original);
      const meta = metadataRange(code)!;
      // The CBOR map opens with the key "ipfs" and the 34-byte multihash: change the hash's last byte.
      const offset = meta.start + 1 + 5 + 2 + 33;
      code[offset] ^= 0x01;
      await t.rpc("anvil_setCode", [verifierAddress, hexlify(code)]);

      const tampered = await verify();
      expect(tampered.ok).to.equal(false);
      const verifier = contract(tampered, "IntentVerifier");
      expect(verifier.bytecode.status).to.equal("mismatch");
      expect(verifier.bytecode.firstDifference).to.equal(offset);
      expect(verifier.bytecode.reason).to.equal(
        `runtime code differs from the artifact at byte ${offset} (in the metadata hash: built from other sources or settings); on chain ${code.length} bytes, artifact ${code.length} bytes`,
      );
      // lib-sourcify fills in the on-chain metadata (a "cborAuxdata" transformation): the code
      // itself matches, only the metadata hash does not.
      const s = asSourcify(verifier.sourcify);
      expect(s.status).to.equal("partial");
      expect(s.runtimeMatch).to.equal("partial");
      expect(s.runtimeTransformations).to.have.members(["immutable", "cborAuxdata"]);
      expect(s.creationMatch).to.equal("perfect");
    });

    it("fails when the code is another contract's", async function () {
      const registryCode = await t.rpc<string>("eth_getCode", [manifest.contracts.SolverRegistry.address, "latest"]);
      await t.rpc("anvil_setCode", [verifierAddress, registryCode]);

      const tampered = await verify();
      expect(tampered.ok).to.equal(false);
      const verifier = contract(tampered, "IntentVerifier");
      expect(verifier.bytecode.status).to.equal("mismatch");
      expect(verifier.bytecode.onChainLength).to.equal(getBytes(registryCode).length);
      expect(verifier.bytecode.firstDifference).to.be.a("number");
      expect(verifier.bytecode.reason).to.match(
        new RegExp(
          `^runtime code differs from the artifact at byte ${verifier.bytecode.firstDifference} \\(different code\\); on chain ${getBytes(registryCode).length} bytes, artifact ${verifier.bytecode.artifactLength} bytes$`,
        ),
      );
      const s = asSourcify(verifier.sourcify);
      expect(s.status).to.equal("mismatch");
      expect(s.errorCode).to.equal("bytecode_length_mismatch");
      expect(contract(tampered, "SolverRegistry").bytecode.status).to.equal("match");
    });

    it("fails when one reference of an immutable holds another value", async function () {
      const build = await loadContractBuild(ROOT, "IntentVerifier", "contracts/IntentVerifier.sol");
      const code = getBytes(original);
      const [id, refs] = Object.entries(build.immutableReferences).find(([, r]) => r.length > 1)!;
      code[refs[2].start + 31] ^= 0x01;
      const result = checkBytecode(build, hexlify(code));
      expect(result.status).to.equal("mismatch");
      expect(result.firstDifference).to.equal(refs[2].start);
      expect(result.reason).to.equal(
        `immutable ${build.variableNames.get(Number(id))} holds different values at its ${refs.length} references`,
      );
    });
  });

  describe("bad input", function () {
    it("says so in one line when no node answers at the manifest's rpcUrl", async function () {
      const url = `http://127.0.0.1:${await freePort()}`;
      const error = await verify({ ...manifest, rpcUrl: url }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(PipelineError);
      expect((error as Error).message).to.equal(
        `no node answers at ${url} (ECONNREFUSED); start the chain or fix the manifest's rpcUrl, then run verify again`,
      );
    });

    it("refuses a node on another chain", async function () {
      const error = await verify({ ...manifest, chainId: 1 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(PipelineError);
      expect((error as Error).message).to.equal(
        `the node at ${manifest.rpcUrl} is chain 31337, but the manifest's deployment is on chain 1; point verify at that chain's node`,
      );
    });

    it("names the missing artifact", async function () {
      const contracts = {
        Gone: { ...manifest.contracts.MockWETH, contractName: "Gone", sourceName: "contracts/Gone.sol" },
      };
      const error = await verify({ ...manifest, contracts }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(PipelineError);
      expect((error as Error).message).to.equal(
        "no artifact for Gone at artifacts/contracts/Gone.sol/Gone.json; run `npx hardhat build` at the deployed commit",
      );
    });
  });
});
