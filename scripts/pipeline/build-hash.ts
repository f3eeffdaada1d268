// buildHash: one hash for exactly what would be deployed. It covers the creation bytecode of every
// deployable contract (deploy/deployable.ts) and the compiler that produced it (long version and
// every setting but outputSelection, which changes what solc reports, not what it emits). The
// bytecode ends in solc's metadata hash, which covers the sources, so any source change that
// reaches a deployable contract, comments included, changes the buildHash.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { DEPLOYABLE_CONTRACTS } from "../../deploy/deployable.js";
import { PipelineError } from "./errors.js";

export interface BuildIdentity {
  buildHash: string;
  solcLongVersion: string;
  settings: unknown;
  contracts: Array<{ name: string; sourceName: string; creationBytecodeHash: string; bytes: number }>;
}

interface Artifact {
  bytecode: string;
  buildInfoId?: string;
}

/** JSON with object keys sorted, so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => `0x${createHash("sha256").update(text).digest("hex")}`;

async function readJson<T>(file: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    throw new PipelineError(`${what} not found at ${file}; run \`npx hardhat build\``);
  }
}

export async function computeBuildIdentity(root: string): Promise<BuildIdentity> {
  const contracts: BuildIdentity["contracts"] = [];
  const compilers = new Map<string, { solcLongVersion: string; settings: unknown }>();
  for (const { name, sourceName } of DEPLOYABLE_CONTRACTS) {
    const artifact = await readJson<Artifact>(
      path.join(root, "artifacts", sourceName, `${name}.json`),
      `the artifact of ${name}`,
    );
    if (!artifact.bytecode || artifact.bytecode === "0x") throw new PipelineError(`${name} has no creation bytecode`);
    if (!artifact.buildInfoId) throw new PipelineError(`the artifact of ${name} names no build-info`);
    const info = await readJson<{ solcLongVersion: string; input: { settings: Record<string, unknown> } }>(
      path.join(root, "artifacts", "build-info", `${artifact.buildInfoId}.json`),
      `the build-info of ${name}`,
    );
    const { outputSelection: _ignored, ...settings } = info.input.settings;
    compilers.set(canonical({ solcLongVersion: info.solcLongVersion, settings }), {
      solcLongVersion: info.solcLongVersion,
      settings,
    });
    contracts.push({
      name,
      sourceName,
      creationBytecodeHash: sha256(artifact.bytecode.toLowerCase()),
      bytes: (artifact.bytecode.length - 2) / 2,
    });
  }
  if (compilers.size !== 1) {
    throw new PipelineError("the deployable contracts were built with different compiler settings");
  }
  const [{ solcLongVersion, settings }] = compilers.values();
  const buildHash = sha256(canonical({ solcLongVersion, settings, contracts }));
  return { buildHash, solcLongVersion, settings, contracts };
}
