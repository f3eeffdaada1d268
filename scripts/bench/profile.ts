// `hardhat run scripts/bench/profile.ts`: where the gas of the signed swap lifecycle and of a fill goes, by opcode
// (debug_traceTransaction on the embedded network; call costs net of the callee). For gas work, not CI.
import { network } from "hardhat";
import { INTENT_TYPE_SWAP, type Intent, encodeSwap, signIntent } from "../lib/intents.js";
import { DEFAULT_MIN_BOND, deploySystem } from "../lib/system.js";

const { ethers, provider } = await network.create();
const [admin, user, solver, relayer, recipient] = await ethers.getSigners();
const { stakeToken, registry, verifier } = await deploySystem(ethers, admin);
const va = await verifier.getAddress();
const weth = await ethers.deployContract("MockERC20", ["W", "W"], admin);
const usdc = await ethers.deployContract("MockERC20", ["U", "U"], admin);
const E18 = 10n ** 18n,
  MAX = 2n ** 256n - 1n;
await (await verifier.setTokenPolicy(INTENT_TYPE_SWAP, await weth.getAddress(), true, 1n, 10n ** 30n)).wait();
await (await verifier.setTokenPolicy(INTENT_TYPE_SWAP, await usdc.getAddress(), true, 1n, 10n ** 30n)).wait();
for (const h of [user, solver, recipient]) {
  await (await weth.mint(h.address, 1000n * E18)).wait();
  await (await usdc.mint(h.address, 10n ** 24n)).wait();
}
await (await weth.connect(user).approve(va, MAX)).wait();
await (await usdc.connect(solver).approve(va, MAX)).wait();
await (await stakeToken.mint(solver.address, 10n * DEFAULT_MIN_BOND)).wait();
await (await stakeToken.connect(solver).approve(await registry.getAddress(), MAX)).wait();
await (await registry.connect(solver).register(DEFAULT_MIN_BOND)).wait();
const chainId = (await ethers.provider.getNetwork()).chainId;
let nonce = 0n;
async function one(profile: boolean) {
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const intent: Intent = {
    user: user.address,
    intentType: INTENT_TYPE_SWAP,
    nonce: nonce++,
    expiry: now + 3600n,
    params: encodeSwap(await weth.getAddress(), E18, await usdc.getAddress(), 3000n * E18, recipient.address),
  };
  const sig = await signIntent(user, va, chainId, intent);
  const f = { ...intent, nonce: nonce++ };
  const fsig = await signIntent(user, va, chainId, f);
  const txs = [
    await verifier.connect(relayer).submitWithSignature(intent, sig),
    await verifier.connect(solver).claim(await verifier.hashIntent(intent)),
    await verifier
      .connect(solver)
      .fulfill(intent, { amountOut: 3000n * E18, gasUsed: 150000n, totalCost: 3n * 10n ** 15n, refs: [] }),
    await verifier.connect(solver).fill(f, fsig, 3000n * E18),
  ];
  for (const tx of txs) {
    const r = (await tx.wait())!;
    if (!profile) continue;
    const trace: any = await provider.request({
      method: "debug_traceTransaction",
      params: [tx.hash, { disableMemory: true, disableStack: false }],
    });
    const by: Record<string, number> = {};
    const logs = trace.structLogs as any[];
    for (let i = 0; i < logs.length; i++) {
      const l = logs[i];
      let cost = l.gasCost;
      if (["CALL", "STATICCALL", "DELEGATECALL"].includes(l.op)) {
        // gasCost of a call includes the forwarded gas; use the gas drop across the call instead.
        const next = logs.slice(i + 1).find((n: any) => n.depth === l.depth);
        cost = next ? l.gas - next.gas - 0 : l.gasCost;
        // subtract inner execution
        let inner = 0;
        for (let j = i + 1; j < logs.length && logs[j].depth > l.depth; j++)
          if (logs[j].depth === l.depth + 1) inner += logs[j].gasCost;
        cost = cost - inner;
      }
      by[l.op] = (by[l.op] ?? 0) + cost;
    }
    const top = Object.entries(by)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const exec = logs.length ? logs[0].gas - logs[logs.length - 1].gas : 0;
    console.log(`gasUsed ${r.gasUsed} intrinsic+calldata ${Number(r.gasUsed) - exec}  exec ${exec}\n  ${top}`);
  }
}
await one(false);
await one(true);
