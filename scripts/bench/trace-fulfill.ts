import { network } from "hardhat";
import { measureGas } from "./scenario.js";
const { ethers, networkHelpers, provider } = await network.create();
const results = await measureGas(ethers, (s) => networkHelpers.time.increase(s));
console.log(results.map((r) => `${r.operation}=${r.gas}`).join(" "));
// trace the last fulfill.swap-like tx: find by scanning blocks
const latest = await ethers.provider.getBlockNumber();
for (let b = latest; b > 0; b--) {
  const block = await ethers.provider.getBlock(b, true);
  const tx = block!.prefetchedTransactions[0];
  if (!tx) continue;
  if (!tx.data.startsWith((await ethers.getContractFactory("IntentVerifier")).interface.getFunction("fulfill")!.selector)) continue;
  const trace: any = await provider.request({ method: "debug_traceTransaction", params: [tx.hash, {}] });
  const logs = trace.structLogs;
  const r = await ethers.provider.getTransactionReceipt(tx.hash);
  console.log("gasUsed", r!.gasUsed, "intrinsic", BigInt(r!.gasUsed) - BigInt(logs[0].gas - logs[logs.length - 1].gas + logs[logs.length - 1].gasCost));
  const comp: Record<number, number> = {}; const special: Record<string, number> = {};
  for (let i = 0; i < logs.length - 1; i++) {
    const l = logs[i];
    if (["CALL", "STATICCALL"].includes(l.op) && logs[i + 1].depth > l.depth) { let j = i + 1; while (logs[j].depth > l.depth) j++; const inner = logs.slice(i + 1, j).filter((x: any) => x.depth === l.depth + 1); special[`${l.op}@${l.depth}(overhead)`] = (special[`${l.op}@${l.depth}(overhead)`] ?? 0) + (l.gas - logs[j].gas) - (inner.length ? inner[0].gas - logs[j - 1].gas + logs[j - 1].gasCost : 0); continue; }
    if (["SLOAD", "SSTORE", "LOG1", "LOG2", "LOG3", "LOG4", "EXTCODESIZE", "KECCAK256"].includes(l.op)) { special[l.op + "@" + l.depth] = (special[l.op + "@" + l.depth] ?? 0) + l.gasCost; continue; }
    comp[l.depth] = (comp[l.depth] ?? 0) + l.gasCost;
  }
  console.log("computation", comp, special);
  break;
}
