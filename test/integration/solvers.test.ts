// Solver registration on the live registry: the bond moves to the registry and the solver is
// authorised to claim; a bond below the current minimum is refused.
import { expect } from "chai";

import { SolverStatus, TEST_TIMEOUT, ctx, eventOf, expectRevert, send, type Actor } from "./context.js";

/** A new solver's score: trust is earned (SolverRegistry.INITIAL_SCORE). */
const INITIAL_SCORE = 5_000n;

describe("integration: solvers", function () {
  this.timeout(TEST_TIMEOUT);
  let solver: Actor;
  let outsider: Actor;

  before(async function () {
    [solver, outsider] = await ctx().accounts(2);
  });

  it("registers a solver with a bond of minBond + slashAmount: the registry holds it, the solver is authorised", async function () {
    const { registry, stk, mintAndApprove } = ctx();
    const registryAddress = await registry.getAddress();
    const { minBond } = await registry.bondParameters();
    const { slashAmount } = await registry.slashing();
    const bond = minBond + slashAmount;
    await mintAndApprove(solver, stk, bond, registryAddress);
    expect(await registry.isAuthorized(solver.address), "authorised before registering").to.equal(false);

    const receipt = await send(registry.connect(solver).register, bond);
    const registered = eventOf(receipt, registry, "SolverRegistered");
    expect(registered.solver).to.equal(solver.address);
    expect(registered.bond).to.equal(bond);

    // Balances and totals just before and at the registration's block: exact, whatever else the chain does.
    const before = { blockTag: receipt.blockNumber - 1 };
    const at = { blockTag: receipt.blockNumber };
    expect((await stk.balanceOf(registryAddress, at)) - (await stk.balanceOf(registryAddress, before))).to.equal(bond);
    expect((await stk.balanceOf(solver.address, before)) - (await stk.balanceOf(solver.address, at))).to.equal(bond);
    expect((await registry.totalBonded(at)) - (await registry.totalBonded(before))).to.equal(bond);

    const info = await registry.getSolver(solver.address);
    expect(info.status, "status").to.equal(SolverStatus.Active);
    expect(info.bond, "bond").to.equal(bond);
    expect(info.activeClaims, "claims in flight").to.equal(0n);
    expect(info.assigned, "claims assigned").to.equal(0n);
    expect(info.performanceScoreBps, "performance score").to.equal(INITIAL_SCORE);
    expect(await registry.isAuthorized(solver.address), "authorised").to.equal(true);
  });

  it("refuses a bond below minBond with BondTooLow, moving nothing", async function () {
    const { registry, stk, mintAndApprove } = ctx();
    const { minBond } = await registry.bondParameters();
    await mintAndApprove(outsider, stk, minBond, await registry.getAddress());
    const args = await expectRevert(
      registry.connect(outsider).register.estimateGas(minBond - 1n),
      registry,
      "BondTooLow",
    );
    expect(args.bond).to.equal(minBond - 1n);
    expect(args.minBond).to.equal(minBond);
    expect((await registry.getSolver(outsider.address)).status).to.equal(SolverStatus.None);
    expect(await stk.balanceOf(outsider.address)).to.equal(minBond);
    expect(await registry.isAuthorized(outsider.address)).to.equal(false);
  });
});
