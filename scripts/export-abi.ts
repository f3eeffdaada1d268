// `npm run abi`: writes the ABIs of the deployable contracts and every error and event
// signature they can emit to abi/, from the build's artifacts, so that tools without this
// project's sources (Foundry's cast, block explorers, indexers) can decode reverts and logs.
// test/mocha/abi.test.ts fails when the committed files no longer match the artifacts.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Interface } from "ethers";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CONTRACTS = ["IntentVerifier", "SolverRegistry"];

/** The files abi/ should hold, by name, rendered from the artifacts. */
export async function renderAbiFiles(root = ROOT): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const events: Record<string, string> = {};
  for (const name of CONTRACTS) {
    const artifact: { abi: unknown[] } = JSON.parse(
      await readFile(path.join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`), "utf8"),
    );
    files[`${name}.json`] = JSON.stringify(artifact.abi, null, 2) + "\n";
    const iface = new Interface(artifact.abi as string[]);
    iface.forEachError((e) => (errors[e.selector] = e.format("sighash")));
    iface.forEachEvent((e) => (events[e.topicHash] = e.format("sighash")));
  }
  const sorted = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  files["signatures.json"] = JSON.stringify({ errors: sorted(errors), events: sorted(events) }, null, 2) + "\n";
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await renderAbiFiles();
  await mkdir(path.join(ROOT, "abi"), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(ROOT, "abi", name), text);
  console.log(`wrote abi/ (${Object.keys(files).join(", ")})`);
}
