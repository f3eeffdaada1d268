// A Sourcify-style check of one contract, run here with lib-sourcify against the chain's JSON-RPC
// (a local anvil works): recompile the contract from the sources and settings in the Hardhat build
// info with solc-js, then match the recompilation against the runtime code on chain and against
// the creation transaction's input. "perfect" means the metadata hash matches too (same sources,
// byte for byte, and the same settings); "partial" means the code matches but the metadata does
// not. The constructor arguments lib-sourcify extracts from the creation transaction are compared
// with the manifest's.
import { getAddress, Interface, type InterfaceAbi } from "ethers";

import type { ContractBuild, SolcInput } from "./artifacts.js";
import {
  SolidityCompilation,
  findAuxdatasInLegacyAssembly,
  SourcifyChain,
  SourcifyLibError,
  Verification,
  setLibSourcifyLogger,
  type ISolidityCompiler,
} from "./lib-sourcify.js";

export type MatchType = "perfect" | "partial" | null;

export interface SourcifyResult {
  status: "perfect" | "partial" | "mismatch";
  /** One line: why it is not perfect, or what was not checked. */
  reason?: string;
  runtimeMatch: MatchType;
  /** null when the creation transaction was not checked or did not match (see creationChecked). */
  creationMatch: MatchType;
  creationChecked: boolean;
  /** lib-sourcify's error code when it gave up ("bytecode_length_mismatch", "extra_file_input_bug", ...). */
  errorCode?: string;
  /** ABI-encoded constructor arguments: from the creation transaction, and from the manifest. */
  constructorArguments?: { onChain: string; manifest: string; equal: boolean };
  /** What lib-sourcify had to fill in to match the runtime code ("immutable", "cborAuxdata", ...). */
  runtimeTransformations: string[];
  compilerVersion: string;
  /** Sources given to the compiler: the contract's import closure. */
  sources: number;
  /** Wall time, waiting for a free compiler worker included. */
  durationMs: number;
}

export interface SourcifyCheck {
  build: ContractBuild;
  rpcUrl: string;
  chainId: number;
  /** Local nodes (anvil, hardhat node) answer debug_traceTransaction, needed for factory (CREATE2) deployments. */
  local: boolean;
  address: string;
  /** The creation transaction, to match the creation code and extract the constructor arguments. */
  transactionHash?: string;
  constructorArgs?: unknown[];
  compiler: ISolidityCompiler;
}

/**
 * A compilation that locates the metadata (CBOR auxdata) in the creation code from the one
 * recompilation it already has, where lib-sourcify would compile the contract a second time.
 *
 * lib-sourcify needs the auxdata's offset in both codes to tell a partial match from a mismatch.
 * The runtime code ends with it; when the creation code does not (IntentVerifier's creation code
 * carries data after the runtime object), lib-sourcify recompiles with every source edited and
 * takes the bytes that changed. With exactly one auxdata in the contract (no `new` of another
 * contract) the creation code's auxdata is the runtime object's, and solc embeds that object
 * verbatim in the creation code: its offset there plus the auxdata's offset in the runtime code
 * is the same position the second compilation finds. It is used only when the runtime object
 * occurs exactly once in the creation code and the auxdata is found at the computed offset;
 * otherwise lib-sourcify's own method runs. The match itself is unchanged: every byte is still
 * compared, the auxdata included for a perfect match.
 */
class OneBuildCompilation extends SolidityCompilation {
  override async generateCborAuxdataPositions(forceEmscripten = false): Promise<void> {
    if (!this.locateEmbeddedAuxdata()) await super.generateCborAuxdataPositions(forceEmscripten);
  }

  private locateEmbeddedAuxdata(): boolean {
    const auxdatas = findAuxdatasInLegacyAssembly(this.contractCompilerOutput.evm.legacyAssembly) as string[];
    if (auxdatas.length !== 1) return false;
    const [auxdata] = auxdatas;
    const runtime = this.runtimeBytecode.replace(/^0x/, "");
    const creation = this.creationBytecode.replace(/^0x/, "");
    // At the end of the creation code lib-sourcify finds it without compiling; leave that to it.
    if (!runtime.endsWith(auxdata) || creation.endsWith(auxdata)) return false;
    const embedded = creation.indexOf(runtime);
    if (embedded < 0 || embedded % 2 !== 0 || creation.indexOf(runtime, embedded + 1) >= 0) return false;
    const inRuntime = (runtime.length - auxdata.length) / 2;
    const inCreation = embedded / 2 + inRuntime;
    if (creation.slice(inCreation * 2, inCreation * 2 + auxdata.length) !== auxdata) return false;
    this._runtimeBytecodeCborAuxdata = { "1": { offset: inRuntime, value: `0x${auxdata}` } };
    this._creationBytecodeCborAuxdata = { "1": { offset: inCreation, value: `0x${auxdata}` } };
    return true;
  }
}

/** lib-sourcify logs through one global logger; warnings are kept per address for the reasons. */
const warnings = new Map<string, string[]>();
let loggerInstalled = false;

function installLogger(): void {
  if (loggerInstalled) return;
  loggerInstalled = true;
  setLibSourcifyLogger({
    logLevel: 1,
    setLevel(level: number) {
      this.logLevel = level;
    },
    log(level: number, message: string, metadata?: { address?: string; error?: unknown }) {
      if (level > 1 || typeof metadata?.address !== "string") return;
      const key = metadata.address.toLowerCase();
      const detail = typeof metadata.error === "string" ? `: ${metadata.error}` : "";
      warnings.set(key, [...(warnings.get(key) ?? []), `${message}${detail}`]);
    },
  });
}

/** The solc input Sourcify would build from the metadata: the contract's sources, the job's settings. */
export function sourcifyInput(build: ContractBuild): SolcInput {
  const settings = structuredClone(build.input.settings);
  delete settings.outputSelection;
  return {
    language: build.input.language,
    sources: Object.fromEntries(build.sourceClosure.map((source) => [source, build.input.sources[source]])),
    settings,
  };
}

const MESSAGES: Record<string, string> = {
  bytecode_length_mismatch: "the runtime code on chain and the recompilation differ in length",
  extra_file_input_bug:
    "the runtime code differs from the recompilation although their metadata hashes agree (lib-sourcify reads this as solc's extra-file-input bug; with the build's own input it means the code on chain was altered)",
  contract_not_deployed: "no code at the address",
  cannot_fetch_bytecode: "could not fetch the code from the node",
  compiled_bytecode_is_zero: "the recompilation has no bytecode (an interface or abstract contract?)",
  no_match: "neither the runtime code nor the creation transaction matches the recompilation",
  compiler_error: "solc-js could not recompile the sources",
};

function describeFailure(error: unknown): { code?: string; reason: string } {
  if (error instanceof SourcifyLibError) {
    const code = (error as SourcifyLibError & { code: string }).code;
    return { code, reason: `${MESSAGES[code] ?? error.message} (lib-sourcify: ${code})` };
  }
  return { reason: `lib-sourcify failed: ${(error as Error).message.split("\n")[0]}` };
}

export async function checkSourcify(check: SourcifyCheck): Promise<SourcifyResult> {
  installLogger();
  const started = Date.now();
  const address = getAddress(check.address);
  warnings.delete(address.toLowerCase());
  const input = sourcifyInput(check.build);
  const base = {
    compilerVersion: check.build.solcLongVersion,
    sources: Object.keys(input.sources).length,
  };
  const compilation = new OneBuildCompilation(check.compiler, check.build.solcLongVersion, input as never, {
    name: check.build.contractName,
    path: check.build.inputSourceName,
  });
  const chain = new SourcifyChain({
    name: `chain-${check.chainId}`,
    chainId: check.chainId,
    rpcs: [{ rpc: check.rpcUrl, ...(check.local ? { traceSupport: "debug_traceTransaction" as const } : {}) }],
    supported: true,
  });
  const verification = new Verification(compilation, chain, address, check.transactionHash || undefined);
  try {
    await verification.verify();
  } catch (error) {
    const { code, reason } = describeFailure(error);
    return {
      status: "mismatch",
      reason,
      errorCode: code,
      runtimeMatch: null,
      creationMatch: null,
      creationChecked: false,
      runtimeTransformations: [],
      ...base,
      durationMs: Date.now() - started,
    };
  } finally {
    for (const rpc of chain.rpcs) rpc.provider?.destroy();
  }

  const { runtimeMatch, creationMatch } = verification.status as { runtimeMatch: MatchType; creationMatch: MatchType };
  const creationChecked = check.transactionHash !== undefined && verification.deploymentInfo.txHash !== undefined;
  const runtimeTransformations = [...new Set(verification.transformations.runtime.list.map((t) => t.reason))];
  const result: SourcifyResult = {
    status: "mismatch",
    runtimeMatch,
    creationMatch,
    creationChecked,
    runtimeTransformations,
    ...base,
    durationMs: 0,
  };

  const onChainArgs = verification.transformations.creation.values.constructorArguments;
  if (creationMatch !== null && check.constructorArgs !== undefined) {
    const manifest = encodeArgs(check.build.abi, check.constructorArgs);
    const onChain = onChainArgs ?? "0x";
    result.constructorArguments = { onChain, manifest, equal: manifest.toLowerCase() === onChain.toLowerCase() };
  }

  const notes = warnings.get(address.toLowerCase()) ?? [];
  if (runtimeMatch === null) {
    result.reason =
      creationMatch !== null
        ? "the runtime code on chain does not match the recompilation, but the creation transaction does: the code was replaced after deployment"
        : "the runtime code on chain does not match the recompilation";
  } else if (check.transactionHash && !creationChecked) {
    result.status = runtimeMatch;
    result.reason = `creation transaction not checked (${notes.find((n) => n.includes("creation")) ?? "lib-sourcify could not read it"})`;
  } else if (check.transactionHash && creationMatch === null) {
    result.reason = `the creation transaction ${check.transactionHash} does not deploy the recompiled code`;
  } else if (result.constructorArguments && !result.constructorArguments.equal) {
    result.reason = "the constructor arguments in the creation transaction differ from the manifest's";
  } else if (runtimeMatch === "partial" || creationMatch === "partial") {
    result.status = "partial";
    result.reason =
      "the code matches but the metadata hash does not: the sources or settings differ in ways that do not change the code (comments, file names, metadata settings)";
  } else {
    result.status = "perfect";
  }
  result.durationMs = Date.now() - started;
  return result;
}

function encodeArgs(abi: unknown[], args: unknown[]): string {
  try {
    return new Interface(abi as InterfaceAbi).encodeDeploy(args);
  } catch (error) {
    return `(cannot encode the manifest's constructor arguments: ${(error as Error).message.split("\n")[0]})`;
  }
}
