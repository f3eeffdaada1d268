// What the verify stage calls: every contract of a deployment manifest checked against the build,
// three ways. bytecode: the runtime code on chain against the artifact, immutables blanked and
// reported. sourcify: lib-sourcify recompiles the sources with solc-js and matches the runtime code
// and the creation transaction (perfect/partial/mismatch). explorer: `hardhat verify etherscan`
// when an explorer and an API key exist, otherwise skipped with the reason. `ok` is false when a
// bytecode or Sourcify check fails or an explorer submission fails; a skipped explorer is fine.
import { isAddress, keccak256 } from "ethers";

import type { DeploymentManifest } from "../deploy/manifest.js";
import { PipelineError } from "../errors.js";
import { loadContractBuild, type ContractBuild } from "./artifacts.js";
import { checkBytecode, immutables, type BytecodeResult } from "./bytecode.js";
import { ChainClient } from "./chain.js";
import { ETHERSCAN_API_KEY, defaultHardhatRunner, verifyOnExplorer, type HardhatRunner } from "./explorer.js";
import { LEGEND, reportOk, type ContractVerification, type VerifyReport } from "./report.js";
import { SolcJsCompiler } from "./solc.js";
import { checkSourcify } from "./sourcify.js";

export { VERIFY_REPORT, renderVerifyMarkdown, renderVerifyTable, verdict, writeVerifyReport } from "./report.js";
export type { ContractVerification, VerifyReport } from "./report.js";
export type { HardhatRunner } from "./explorer.js";

export interface VerifyOptions {
  /** The project root: artifacts/ and build infos are read from here. */
  root: string;
  manifest: DeploymentManifest;
  /** One line per step (the stage's live display). */
  onProgress?: (line: string) => void;
  /** Runs `hardhat <args>` for explorer submissions; by default a plain subprocess in `root`. */
  runHardhat?: HardhatRunner;
  /** Whether an Etherscan key is configured; by default $ETHERSCAN_API_KEY. */
  etherscanApiKey?: string;
  /** Which contracts get the Sourcify check: all of them (default) or the deployable ones only. */
  sourcify?: "all" | "deployable";
  /** A compiler to share between calls (its cache then spans them); by default one per call, closed after. */
  compiler?: SolcJsCompiler;
}

function validateManifest(manifest: DeploymentManifest): void {
  if (typeof manifest?.rpcUrl !== "string" || manifest.rpcUrl === "") {
    throw new PipelineError("the manifest names no rpcUrl; write it with the stage that deployed");
  }
  if (!Number.isInteger(manifest.chainId)) throw new PipelineError("the manifest names no chainId");
  const entries = Object.entries(manifest.contracts ?? {});
  if (entries.length === 0) throw new PipelineError("the manifest lists no contracts; nothing to verify");
  for (const [name, c] of entries) {
    if (!isAddress(c.address)) throw new PipelineError(`manifest contract ${name}: "${c.address}" is not an address`);
    if (!c.contractName) throw new PipelineError(`manifest contract ${name} has no contractName`);
  }
}

export async function verifyDeployment(options: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const { root, manifest } = options;
  const progress = options.onProgress ?? (() => undefined);
  validateManifest(manifest);

  const chain = new ChainClient(manifest.rpcUrl);
  await chain.expectChain(manifest.chainId);
  progress(`chain ${manifest.chainId} answers at ${manifest.rpcUrl}`);

  const entries = Object.entries(manifest.contracts);
  const builds = new Map<string, ContractBuild>();
  const bytecode = new Map<string, BytecodeResult>();
  for (const [name, contract] of entries) {
    const build = await loadContractBuild(root, contract.contractName, contract.sourceName);
    builds.set(name, build);
    const result = checkBytecode(build, await chain.getCode(contract.address));
    if (contract.creationBytecodeHash && keccak256(build.bytecode) !== contract.creationBytecodeHash) {
      // Same runtime code and metadata hash imply the same creation code, so this is a wrong
      // manifest or a rebuilt artifact; either way the build on disk is not the one deployed.
      const note = "the artifact is not the deployed build (its creation bytecode hash differs from the manifest's)";
      result.status = "mismatch";
      result.reason = result.reason ? `${result.reason}; ${note}` : note;
    }
    bytecode.set(name, result);
    progress(
      `bytecode ${name}: ${result.status === "match" ? `match (${immutables(result)})` : `mismatch: ${result.reason}`}`,
    );
  }

  const compiler = options.compiler ?? new SolcJsCompiler();
  const before = { count: compiler.compilations, ms: compiler.compileMs };
  let results: Map<string, ContractVerification["sourcify"]>;
  try {
    // The largest compilations are queued first: they bound the wall time on two workers.
    const bySize = [...entries].sort(
      ([a], [b]) => builds.get(b)!.sourceClosure.length - builds.get(a)!.sourceClosure.length,
    );
    results = new Map();
    const checked = entries.filter(([, c]) => options.sourcify !== "deployable" || c.deployable).length;
    progress(`sourcify: recompiling ${checked} contracts with solc-js ${await compiler.version()}`);
    await Promise.all(
      bySize.map(async ([name, contract]) => {
        if (options.sourcify === "deployable" && !contract.deployable) {
          results.set(name, {
            status: "not-run",
            reason: "not deployable: bytecode check only (sourcify: deployable)",
          });
          return;
        }
        const result = await checkSourcify({
          build: builds.get(name)!,
          rpcUrl: manifest.rpcUrl,
          chainId: manifest.chainId,
          local: manifest.local,
          address: contract.address,
          transactionHash: contract.transactionHash || undefined,
          constructorArgs: contract.constructorArgs,
          compiler,
        });
        progress(`sourcify ${name}: ${result.status}${result.reason ? `: ${result.reason}` : ""}`);
        results.set(name, result);
      }),
    );
  } finally {
    if (options.compiler === undefined) await compiler.close();
  }

  const apiKey = "etherscanApiKey" in options ? options.etherscanApiKey : process.env[ETHERSCAN_API_KEY];
  const runHardhat = options.runHardhat ?? defaultHardhatRunner(root);
  const contracts: ContractVerification[] = [];
  for (const [name, contract] of entries) {
    const resolved = { ...contract, sourceName: builds.get(name)!.sourceName };
    const explorer = await verifyOnExplorer({ name, contract: resolved, manifest, apiKey, runHardhat });
    if (explorer.status !== "skipped") progress(`explorer ${name}: ${explorer.status}: ${explorer.reason}`);
    contracts.push({
      name,
      contractName: contract.contractName,
      sourceName: builds.get(name)!.sourceName,
      address: contract.address,
      deployable: contract.deployable,
      bytecode: bytecode.get(name)!,
      sourcify: results.get(name)!,
      explorer,
    });
  }

  return {
    ok: reportOk(contracts),
    chainId: manifest.chainId,
    network: manifest.network,
    rpcUrl: manifest.rpcUrl,
    stage: manifest.stage,
    buildHash: manifest.buildHash,
    deploymentId: manifest.deploymentId,
    legend: LEGEND,
    contracts,
    compilations: { count: compiler.compilations - before.count, durationMs: compiler.compileMs - before.ms },
    durationMs: Date.now() - started,
    checkedAt: new Date().toISOString(),
  };
}
