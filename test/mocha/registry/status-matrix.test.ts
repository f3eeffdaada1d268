// SolverRegistry: which lifecycle action each solver status allows. Every action a status does
// not allow reverts with InvalidSolverStatus(caller, status), and leaves the bonds backed.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { E18, MIN_BOND, systemFixture } from "../fixtures.js";
import { SolverStatus, UNBONDING_PERIOD, expectSystemBacked } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

async function deployedSystem() {
  return systemFixture(ethers);
}
type System = Awaited<ReturnType<typeof deployedSystem>>;

/** Brings a solver into `status` and returns it (an unregistered account for None). */
async function solverIn(f: System, status: bigint): Promise<HardhatEthersSigner> {
  if (status === SolverStatus.None) return f.otherSolver;
  if (status === SolverStatus.Suspended) await f.registry.suspend(f.solver.address);
  if (status === SolverStatus.Exiting || status === SolverStatus.Exited) {
    await f.registry.connect(f.solver).announceExit();
  }
  if (status === SolverStatus.Exited) {
    await networkHelpers.time.increase(UNBONDING_PERIOD);
    await f.registry.connect(f.solver).withdraw();
  }
  expect((await f.registry.getSolver(f.solver.address)).status).to.equal(status);
  return f.solver;
}

const NAMES = ["None", "Active", "Exiting", "Suspended", "Exited"];
const article = (name: string) => `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
const ACTIONS: { name: string; allowed: bigint[]; call: (f: System, s: HardhatEthersSigner) => Promise<unknown> }[] = [
  {
    name: "register",
    allowed: [SolverStatus.None, SolverStatus.Exited],
    call: (f, s) => f.registry.connect(s).register(MIN_BOND),
  },
  {
    name: "topUp",
    allowed: [SolverStatus.Active, SolverStatus.Suspended],
    call: (f, s) => f.registry.connect(s).topUp(E18),
  },
  {
    name: "announceExit",
    allowed: [SolverStatus.Active, SolverStatus.Suspended],
    call: (f, s) => f.registry.connect(s).announceExit(),
  },
  { name: "withdraw", allowed: [SolverStatus.Exiting], call: (f, s) => f.registry.connect(s).withdraw() },
];

describe("SolverRegistry: actions by solver status", function () {
  for (const action of ACTIONS) {
    for (const status of [
      SolverStatus.None,
      SolverStatus.Active,
      SolverStatus.Exiting,
      SolverStatus.Suspended,
      SolverStatus.Exited,
    ]) {
      if (action.allowed.includes(status)) continue;
      it(`${action.name} rejects ${article(NAMES[Number(status)])} solver with InvalidSolverStatus(${NAMES[Number(status)]})`, async function () {
        const f = await networkHelpers.loadFixture(deployedSystem);
        const solver = await solverIn(f, status);
        await expect(action.call(f, solver))
          .to.be.revertedWithCustomError(f.registry, "InvalidSolverStatus")
          .withArgs(solver.address, status);
        await expectSystemBacked(f);
      });
    }
  }
});
