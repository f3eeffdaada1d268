// The runtime code on chain against the artifact's deployedBytecode, byte for byte. solc leaves
// zeros where immutables go and the constructor writes their values there, so those ranges (and
// any linked-library placeholders) are blanked in both before comparing; everything else must be
// identical, including the CBOR metadata trailer whose hash covers the sources and settings (the
// same build gives the same hash). The immutables' on-chain values are reported alongside.
import { getBytes, hexlify, keccak256 } from "ethers";

import type { ByteRange, ContractBuild } from "./artifacts.js";

export interface ImmutableValue {
  /** AST id of the variable. */
  id: number;
  /** "IntentVerifier.registry", "EIP712._cachedDomainSeparator"; "#<id>" when the AST does not say. */
  name: string;
  references: ByteRange[];
  /** The value on chain at the first reference (32-byte hex). */
  value: string;
  /** Every reference holds the same value, as the constructor writes it. */
  consistent: boolean;
}

export interface BytecodeResult {
  status: "match" | "mismatch";
  /** Why it did not match, in one line; absent on a match. */
  reason?: string;
  onChainLength: number;
  artifactLength: number;
  /** First byte offset (from the start of the runtime code) where the two differ. */
  firstDifference?: number;
  /** keccak256 of the code on chain. */
  onChainHash: string;
  /** The CBOR metadata trailer at the end of the artifact's code (compared like the rest). */
  metadata?: ByteRange;
  immutableCount: number;
  immutableReferenceCount: number;
  immutables: ImmutableValue[];
  /** Linked libraries: placeholder ranges in the artifact and the addresses on chain. */
  libraries: Array<{ library: string; references: ByteRange[]; address: string }>;
}

/** "8 immutables", "1 immutable". */
export const immutables = (result: BytecodeResult) =>
  `${result.immutableCount} immutable${result.immutableCount === 1 ? "" : "s"}`;

/** The CBOR trailer solc appends: its length is the last two bytes. */
export function metadataRange(code: Uint8Array): ByteRange | undefined {
  if (code.length < 2) return undefined;
  const length = (code[code.length - 2] << 8) | code[code.length - 1];
  const start = code.length - 2 - length;
  // A CBOR map of 1..n entries starts with 0xa1..0xb7.
  if (length === 0 || start < 0 || code[start] < 0xa1 || code[start] > 0xb7) return undefined;
  return { start, length: length + 2 };
}

function blank(code: Uint8Array, ranges: ByteRange[]): Uint8Array {
  const copy = code.slice();
  for (const { start, length } of ranges) copy.fill(0, start, Math.min(start + length, copy.length));
  return copy;
}

function slice(code: Uint8Array, { start, length }: ByteRange): string {
  return hexlify(code.slice(start, start + length));
}

function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

function inRange(offset: number, range: ByteRange | undefined): boolean {
  return range !== undefined && offset >= range.start && offset < range.start + range.length;
}

/** Compares `onChainCode` (eth_getCode) with the build's runtime bytecode. */
export function checkBytecode(build: ContractBuild, onChainCode: string): BytecodeResult {
  const chain = getBytes(onChainCode);
  const artifact = getBytes(build.deployedBytecode);
  const immutableRanges = Object.values(build.immutableReferences).flat();
  const libraryRefs = Object.entries(build.deployedLinkReferences).flatMap(([source, libs]) =>
    Object.entries(libs).map(([library, references]) => ({ library: `${source}:${library}`, references })),
  );
  const blanked = [...immutableRanges, ...libraryRefs.flatMap((l) => l.references)];
  const metadata = metadataRange(artifact);

  const fits = (r: ByteRange) => r.start + r.length <= chain.length;
  const immutables: ImmutableValue[] = Object.entries(build.immutableReferences).map(([id, references]) => {
    const values = references.filter(fits).map((r) => slice(chain, r));
    return {
      id: Number(id),
      name: build.variableNames.get(Number(id)) ?? `#${id}`,
      references,
      value: values[0] ?? "0x",
      consistent: values.length === references.length && values.every((v) => v === values[0]),
    };
  });
  const libraries = libraryRefs.map(({ library, references }) => ({
    library,
    references,
    address: fits(references[0]) ? slice(chain, { start: references[0].start, length: 20 }) : "0x",
  }));

  const base = {
    onChainLength: chain.length,
    artifactLength: artifact.length,
    onChainHash: keccak256(chain),
    metadata,
    immutableCount: immutables.length,
    immutableReferenceCount: immutableRanges.length,
    immutables,
    libraries,
  };
  if (chain.length === 0) {
    return { status: "mismatch", reason: "no code at the address (not deployed, or the chain was reset)", ...base };
  }

  const offset = firstDifference(blank(chain, blanked), blank(artifact, blanked));
  if (offset !== undefined) {
    const lengths = `on chain ${chain.length} bytes, artifact ${artifact.length} bytes`;
    const where = inRange(offset, metadata)
      ? " (in the metadata hash: built from other sources or settings)"
      : chain.length !== artifact.length
        ? " (different code)"
        : "";
    return {
      status: "mismatch",
      reason: `runtime code differs from the artifact at byte ${offset}${where}; ${lengths}`,
      firstDifference: offset,
      ...base,
    };
  }
  const split = immutables.find((i) => !i.consistent);
  if (split !== undefined) {
    return {
      status: "mismatch",
      reason: `immutable ${split.name} holds different values at its ${split.references.length} references`,
      firstDifference: (
        split.references.find((r) => !fits(r) || slice(chain, r) !== split.value) ?? split.references[0]
      ).start,
      ...base,
    };
  }
  return { status: "match", ...base };
}
