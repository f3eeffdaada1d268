// `npm start`: deploys intentkit to the embedded Hardhat network and walks two intents
// through their lifecycle, printing every state change as the chain reports it:
//   1. a swap (1 WETH for at least 3,000 USDC): submitted with the user's signature by a
//      relayer, claimed by a bonded solver, fulfilled and settled by the verifier;
//   2. a transfer whose solver claims it and lets the claim lapse after the intent expired:
//      anyone fails the claim, the solver is slashed in the user's favour and suspended.
import { network } from "hardhat";

import {
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  type Intent,
  STATUS_NAMES,
  emptyFulfillment,
  encodeSwap,
  encodeTransfer,
  signIntent,
} from "./lib/intents.js";
import { DEFAULT_MIN_BOND, deploySystem } from "./lib/system.js";

const { ethers, networkHelpers } = await network.create();
const E18 = 10n ** 18n;
const MAX = 2n ** 256n - 1n;
const fmt = (amount: bigint) => ethers.formatUnits(amount, 18);

const [admin, user, solver, relayer, recipient, keeper] = await ethers.getSigners();
console.log("Deploying intentkit to the embedded Hardhat network");
const { stakeToken, registry, verifier } = await deploySystem(ethers, admin);
const weth = await ethers.deployContract("MockERC20", ["Wrapped Ether", "WETH"], admin);
const usdc = await ethers.deployContract("MockERC20", ["USD Coin", "USDC"], admin);
const [verifierAddress, registryAddress, wethAddress, usdcAddress] = await Promise.all(
  [verifier, registry, weth, usdc].map((c) => c.getAddress()),
);
console.log(`  SolverRegistry  ${registryAddress}`);
console.log(`  IntentVerifier  ${verifierAddress}`);

await (await verifier.setTokenPolicy(INTENT_TYPE_SWAP, wethAddress, true, 1n, 100n * E18)).wait();
await (await verifier.setTokenPolicy(INTENT_TYPE_SWAP, usdcAddress, true, 1n, 10n ** 9n * E18)).wait();
await (await verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, usdcAddress, true, 1n, 10n ** 9n * E18)).wait();
await (await weth.mint(user.address, 10n * E18)).wait();
await (await usdc.mint(user.address, 10_000n * E18)).wait();
await (await usdc.mint(solver.address, 100_000n * E18)).wait();
await (await weth.connect(user).approve(verifierAddress, MAX)).wait();
await (await usdc.connect(user).approve(verifierAddress, MAX)).wait();
await (await usdc.connect(solver).approve(verifierAddress, MAX)).wait();
await (await stakeToken.mint(solver.address, DEFAULT_MIN_BOND)).wait();
await (await stakeToken.connect(solver).approve(registryAddress, MAX)).wait();

// Every state change is read back from the receipts' events, not assumed.
const contracts = [verifier, registry];
async function show(label: string, tx: Promise<{ wait(): Promise<unknown> }>) {
  const receipt = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[] };
  console.log(`\n> ${label}`);
  for (const log of receipt.logs) {
    for (const contract of contracts) {
      const parsed = contract.interface.parseLog(log);
      if (parsed === null) continue;
      const args = parsed.fragment.inputs
        .map((input, i) => `${input.name}=${describe(input.name, parsed.args[i])}`)
        .join(" ");
      console.log(`  ${parsed.name.padEnd(22)} ${args}`);
    }
  }
}
const SOLVER_STATUS = ["None", "Active", "Exiting", "Suspended", "Exited"];
function describe(name: string, value: unknown): string {
  if (typeof value === "bigint" && /amount|bond|toUser|toTreasury|received/i.test(name)) return fmt(value);
  if (typeof value === "bigint" && name === "status") return SOLVER_STATUS[Number(value)];
  if (typeof value === "string" && value.startsWith("0x") && value.length > 66) {
    return `${value.slice(0, 10)}…(${(value.length - 2) / 2} bytes)`;
  }
  if (typeof value === "string" && value.length === 66) return `${value.slice(0, 10)}…`;
  return String(value);
}
async function status(intent: Intent) {
  const id = await verifier.hashIntent(intent);
  return STATUS_NAMES[Number(await verifier.statusOf(id))];
}

await show("solver registers with a bond of 1,000 STK", registry.connect(solver).register(DEFAULT_MIN_BOND));

const chainId = (await ethers.provider.getNetwork()).chainId;
const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

// 1. A swap, relayed with the user's EIP-712 signature, fulfilled and settled.
const swap: Intent = {
  user: user.address,
  intentType: INTENT_TYPE_SWAP,
  nonce: await verifier.nextNonce(user.address),
  expiry: (await now()) + 3600n,
  params: encodeSwap(wethAddress, E18, usdcAddress, 3_000n * E18, recipient.address),
};
const swapId = await verifier.hashIntent(swap);
const signature = await signIntent(user, verifierAddress, chainId, swap);
console.log("\n=== Intent 1: swap 1 WETH for at least 3,000 USDC before the hour is out ===");
await show("relayer submits the user's signed intent", verifier.connect(relayer).submitWithSignature(swap, signature));
console.log(`  status: ${await status(swap)}`);
await show("solver claims it", verifier.connect(solver).claim(swapId));
console.log(`  status: ${await status(swap)}`);
await show(
  "solver fulfils: 3,010 USDC to the recipient, the verifier settles and checks the balance delta",
  verifier
    .connect(solver)
    .fulfill(swap, { ...emptyFulfillment(3_010n * E18), gasUsed: 142_000n, totalCost: 2n * 10n ** 15n }),
);
console.log(`  status: ${await status(swap)}; recipient holds ${fmt(await usdc.balanceOf(recipient.address))} USDC`);

// 2. A transfer whose claim lapses after the intent expired: slash.
const transfer: Intent = {
  user: user.address,
  intentType: INTENT_TYPE_TRANSFER,
  nonce: await verifier.nextNonce(user.address),
  expiry: (await now()) + 300n,
  params: encodeTransfer(usdcAddress, 500n * E18, recipient.address),
};
const transferId = await verifier.hashIntent(transfer);
console.log("\n=== Intent 2: transfer 500 USDC within 5 minutes; the solver never delivers ===");
await show("user submits directly", verifier.connect(user).submit(transfer));
await show("solver claims it", verifier.connect(solver).claim(transferId));
await networkHelpers.time.increase(301);
console.log(`\n  ... 5 minutes pass; the claim deadline and the intent's expiry are behind us`);
const userStakeBefore = await stakeToken.balanceOf(user.address);
await show("a keeper fails the lapsed claim", verifier.connect(keeper).fail(transfer));
console.log(`  status: ${await status(transfer)}`);
console.log(`  user received ${fmt((await stakeToken.balanceOf(user.address)) - userStakeBefore)} STK from the slash`);

const info = await registry.getSolver(solver.address);
console.log("\n=== Solver track record (on-chain) ===");
console.log(`  status ${SOLVER_STATUS[Number(info.status)]}, bond ${fmt(info.bond)} STK`);
console.log(`  assigned ${info.assigned}, completed ${info.completed}, failed ${info.failed}`);
console.log(
  `  success rate ${Number(info.successRateBps) / 100}%, performance score ${Number(info.performanceScoreBps) / 100}%`,
);
