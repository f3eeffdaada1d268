// What the build says a deployed contract should be: its Hardhat 3 artifact (runtime bytecode and
// the immutables' byte ranges), and its build info (the exact solc input and version, and the ASTs
// that name the immutables and list the sources the contract imports). Every check in verify/
// compares the chain against this.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { PipelineError } from "../errors.js";

export interface ByteRange {
  start: number;
  length: number;
}

/** solc's `evm.deployedBytecode.immutableReferences`: AST id of the variable → where it is written. */
export type ImmutableReferences = Record<string, ByteRange[]>;

/** solc's link references: source → library → placeholders in the bytecode. */
export type LinkReferences = Record<string, Record<string, ByteRange[]>>;

/** The solc standard-JSON input as Hardhat recorded it in the build info. */
export interface SolcInput {
  language: string;
  sources: Record<string, { content: string }>;
  settings: Record<string, unknown> & { outputSelection?: unknown };
}

export interface ContractBuild {
  contractName: string;
  /** The project-relative source, "contracts/IntentVerifier.sol". */
  sourceName: string;
  /** The name solc saw, "project/contracts/IntentVerifier.sol" (what metadata and verifiers use). */
  inputSourceName: string;
  artifactFile: string;
  abi: unknown[];
  /** Creation bytecode, 0x-prefixed, without constructor arguments. */
  bytecode: string;
  /** Runtime bytecode, 0x-prefixed, as solc emitted it (immutables zeroed). */
  deployedBytecode: string;
  immutableReferences: ImmutableReferences;
  deployedLinkReferences: LinkReferences;
  buildInfoId: string;
  /** "0.8.30+commit.73712a01". */
  solcLongVersion: string;
  /** The whole input of the compilation job that built the contract. */
  input: SolcInput;
  /** The sources the contract's file imports, transitively, itself included (sorted). */
  sourceClosure: string[];
  /** AST id → "Contract.variable" for every state variable declared in `sourceClosure`. */
  variableNames: Map<number, string>;
}

interface Artifact {
  _format: string;
  contractName: string;
  sourceName: string;
  inputSourceName?: string;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
  immutableReferences?: ImmutableReferences;
  deployedLinkReferences?: LinkReferences;
  buildInfoId?: string;
}

interface AstNode {
  id?: number;
  nodeType?: string;
  name?: string;
  absolutePath?: string;
  nodes?: AstNode[];
  stateVariable?: boolean;
}

interface BuildInfo {
  solcLongVersion: string;
  input: SolcInput;
}

interface BuildInfoOutput {
  output: {
    sources: Record<string, { ast: AstNode }>;
    contracts: Record<
      string,
      Record<string, { evm?: { deployedBytecode?: { immutableReferences?: ImmutableReferences } } }>
    >;
  };
}

async function readJson<T>(file: string, missing: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new PipelineError(missing);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new PipelineError(`${file} is not valid JSON (${(error as Error).message}); rebuild with \`hardhat build\``);
  }
}

/** Build infos are large (the output of a whole job, ASTs included); each is read once per process. */
const buildInfos = new Map<string, Promise<{ info: BuildInfo; output: BuildInfoOutput }>>();

function loadBuildInfo(root: string, id: string) {
  const dir = path.join(root, "artifacts", "build-info");
  const key = path.join(dir, id);
  let cached = buildInfos.get(key);
  if (cached === undefined) {
    const rebuild = `run \`npx hardhat build\` at the deployed commit`;
    cached = Promise.all([
      readJson<BuildInfo>(path.join(dir, `${id}.json`), `no build info ${id} in ${dir}; ${rebuild}`),
      readJson<BuildInfoOutput>(path.join(dir, `${id}.output.json`), `no build output ${id} in ${dir}; ${rebuild}`),
    ]).then(([info, output]) => ({ info, output }));
    cached.catch(() => buildInfos.delete(key));
    buildInfos.set(key, cached);
  }
  return cached;
}

/** Forgets the build infos read so far (after a rebuild in the same process). */
export function clearBuildInfoCache(): void {
  buildInfos.clear();
}

function importClosure(sources: BuildInfoOutput["output"]["sources"], start: string): string[] {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const source = pending.pop()!;
    if (seen.has(source)) continue;
    const unit = sources[source];
    if (unit === undefined) {
      throw new PipelineError(`the build output has no AST for ${source}; rebuild with \`npx hardhat build\``);
    }
    seen.add(source);
    for (const node of unit.ast.nodes ?? []) {
      if (node.nodeType === "ImportDirective" && node.absolutePath) pending.push(node.absolutePath);
    }
  }
  return [...seen].sort();
}

function stateVariableNames(sources: BuildInfoOutput["output"]["sources"], closure: string[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const source of closure) {
    for (const node of sources[source].ast.nodes ?? []) {
      if (node.nodeType !== "ContractDefinition") continue;
      for (const member of node.nodes ?? []) {
        if (member.nodeType === "VariableDeclaration" && member.stateVariable && member.id !== undefined) {
          names.set(member.id, `${node.name}.${member.name}`);
        }
      }
    }
  }
  return names;
}

/**
 * The artifact and build info of `contractName` from `root`/artifacts. `sourceName` picks the
 * artifact ("contracts/test/MockERC20.sol"); without it the contract name must be unique.
 */
export async function loadContractBuild(root: string, contractName: string, sourceName = ""): Promise<ContractBuild> {
  const source = sourceName !== "" ? sourceName : await findSourceName(root, contractName);
  const artifactFile = path.join(root, "artifacts", source, `${contractName}.json`);
  const artifact = await readJson<Artifact>(
    artifactFile,
    `no artifact for ${contractName} at ${path.relative(root, artifactFile)}; run \`npx hardhat build\` at the deployed commit`,
  );
  if (artifact.buildInfoId === undefined) {
    throw new PipelineError(
      `${path.relative(root, artifactFile)} names no build info (format ${artifact._format}); rebuild with Hardhat 3`,
    );
  }
  const { info, output } = await loadBuildInfo(root, artifact.buildInfoId);
  const inputSourceName = artifact.inputSourceName ?? artifact.sourceName;
  const fromOutput = output.output.contracts[inputSourceName]?.[contractName]?.evm?.deployedBytecode;
  const sourceClosure = importClosure(output.output.sources, inputSourceName);
  return {
    contractName,
    sourceName: artifact.sourceName,
    inputSourceName,
    artifactFile,
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    deployedBytecode: artifact.deployedBytecode,
    immutableReferences: artifact.immutableReferences ?? fromOutput?.immutableReferences ?? {},
    deployedLinkReferences: artifact.deployedLinkReferences ?? {},
    buildInfoId: artifact.buildInfoId,
    solcLongVersion: info.solcLongVersion,
    input: info.input,
    sourceClosure,
    variableNames: stateVariableNames(output.output.sources, sourceClosure),
  };
}

/** contractName → sourceName for every artifact under artifacts/contracts (for building manifests). */
export async function artifactSourceNames(root: string): Promise<Record<string, string>> {
  const base = path.join(root, "artifacts", "contracts");
  const names: Record<string, string> = {};
  let entries: string[];
  try {
    entries = await readdir(base, { recursive: true });
  } catch {
    throw new PipelineError(`no artifacts in ${base}; run \`npx hardhat build\` first`);
  }
  for (const entry of entries) {
    const match = /^(.*\.sol)[/\\]([^/\\]+)\.json$/.exec(entry);
    if (match === null) continue;
    const [, file, contract] = match;
    const sourceName = path.posix.join("contracts", file.split(path.sep).join("/"));
    names[contract] = names[contract] === undefined ? sourceName : "";
  }
  return names;
}

async function findSourceName(root: string, contractName: string): Promise<string> {
  const sourceName = (await artifactSourceNames(root))[contractName];
  if (sourceName === undefined) {
    throw new PipelineError(`no artifact for ${contractName} under artifacts/contracts; run \`npx hardhat build\``);
  }
  if (sourceName === "") {
    throw new PipelineError(`more than one source defines ${contractName}; give its sourceName in the manifest`);
  }
  return sourceName;
}
