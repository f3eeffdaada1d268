// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IntentSystemConfig as Config, IntentSystemHandler} from "./handlers/IntentSystemHandler.sol";
import {IntentSystemDeployment} from "./IntentSystemDeployment.sol";
import {ISolverRegistry} from "../../../contracts/interfaces/ISolverRegistry.sol";
import {INTENT_TYPE_SWAP, IntentRecord, IntentStatus} from "../../../contracts/libraries/IntentTypes.sol";
import {FeeOnTransferToken} from "../../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/**
 * @title IntentSystemInvariantTest
 * @notice Invariants of the deployed system (SolverRegistry + IntentVerifier + ERC-20s) under
 * random sequences of submissions, claims, fulfilments, failures, cancellations, expiries,
 * registrations, top-ups, exits, withdrawals, reinstatements and time warps, all driven by
 * {IntentSystemHandler} (the only fuzzed target).
 */
contract IntentSystemInvariantTest is IntentSystemDeployment {
    IntentSystemHandler internal handler;

    function setUp() public {
        (MockERC20 stake, MockERC20 tokenA, MockERC20 tokenB, FeeOnTransferToken feeToken) = _deploySystem();
        handler = new IntentSystemHandler(verifier, registry, stake, tokenA, tokenB, feeToken);
        _targetHandler(handler, new bytes4[](0));
    }

    /// @notice The registry holds exactly the bonds and the slash credits: its stake-token balance
    /// equals the sum of every solver's bond plus `totalCredited`, `totalBonded` the sum of bonds;
    /// the credits of the slash recipients are exactly what was slashed; stake tokens are
    /// conserved (everything minted sits with the registry, the solvers or the recipients).
    function invariant_registryStakeBalanceEqualsSumOfBonds() public view {
        address[] memory solvers = handler.solvers();
        address[] memory users = handler.users();
        uint256 sumOfBonds;
        uint256 heldBySolvers;
        for (uint256 i = 0; i < solvers.length; i++) {
            sumOfBonds += registry.getSolver(solvers[i]).bond;
            heldBySolvers += handler.stake().balanceOf(solvers[i]);
        }
        uint256 balance = handler.stake().balanceOf(address(registry));
        assertEq(balance, sumOfBonds + registry.totalCredited(), "registry stake balance == bonds + credits");
        assertEq(registry.totalBonded(), sumOfBonds, "totalBonded == sum of bonds");

        (uint256 credited, ) = registry.creditOf(Config.TREASURY);
        uint256 heldByRecipients = handler.stake().balanceOf(Config.TREASURY);
        for (uint256 i = 0; i < users.length; i++) {
            (uint256 userCredit, ) = registry.creditOf(users[i]);
            credited += userCredit;
            heldByRecipients += handler.stake().balanceOf(users[i]);
        }
        assertEq(credited, handler.totalSlashed(), "slash recipients were credited exactly what was slashed");
        assertEq(credited, registry.totalCredited(), "totalCredited == the recipients' credits");
        assertEq(
            handler.stake().totalSupply(),
            balance + heldBySolvers + heldByRecipients,
            "stake tokens are conserved"
        );
    }

    /// @notice Once an intent is seen Completed, Failed, Expired or Cancelled in storage it keeps
    /// that status forever; every observed transition follows the lifecycle.
    function invariant_terminalStatusesNeverChange() public view {
        uint256 n = handler.intentCount();
        for (uint256 i = 0; i < n; i++) {
            bytes32 id = handler.idAt(i);
            IntentStatus terminal = handler.firstTerminal(id);
            if (terminal != IntentStatus.None) {
                assertEq(
                    uint256(verifier.getIntent(id).status),
                    uint256(terminal),
                    "terminal status unchanged since first seen"
                );
            }
        }
        assertEq(handler.violations("terminal"), 0, "a terminal status changed between two actions");
        assertEq(handler.violations("lifecycle"), 0, "status transition outside the lifecycle");
    }

    /// @notice No user had more than `2 * limit` submissions admitted within any closed interval
    /// of one window, and neither had the system as a whole (the global bucket).
    function invariant_submissionsWithinTwiceLimitPerRollingWindow() public view {
        address[] memory users = handler.users();
        uint256 userLimit = Config.USER_LIMIT;
        uint256 userWindow = Config.USER_WINDOW;
        for (uint256 i = 0; i < users.length; i++) {
            uint256 most = _mostInAnyWindow(handler.userAdmissions(users[i]), userWindow);
            assertLe(most, 2 * userLimit, "user submissions in one window");
        }
        uint256 global = _mostInAnyWindow(handler.globalAdmissions(), Config.GLOBAL_WINDOW);
        assertLe(global, 2 * Config.GLOBAL_LIMIT, "global submissions in one window");
    }

    /// @notice No solver had more than `2 * limit` claims admitted within any closed interval of
    /// one claim window.
    function invariant_claimsWithinTwiceLimitPerRollingWindow() public view {
        address[] memory solvers = handler.solvers();
        for (uint256 i = 0; i < solvers.length; i++) {
            uint256 most = _mostInAnyWindow(handler.claimAdmissions(solvers[i]), Config.CLAIM_WINDOW);
            assertLe(most, 2 * Config.CLAIM_LIMIT, "solver claims in one window");
        }
    }

    /// @notice Every completed swap raised the recipient's tokenOut balance by at least
    /// `minAmountOut` (the fee-on-transfer token included), and every completed transfer by
    /// exactly `amount`.
    function invariant_completedSwapPaidRecipientAtLeastMinAmountOut() public view {
        IntentSystemHandler.Outcome[] memory outcomes = handler.outcomes();
        for (uint256 i = 0; i < outcomes.length; i++) {
            if (outcomes[i].intentType == INTENT_TYPE_SWAP) {
                assertGe(outcomes[i].received, outcomes[i].required, "swap recipient gain >= minAmountOut");
            } else {
                assertEq(outcomes[i].received, outcomes[i].required, "transfer recipient gain == amount");
            }
        }
    }

    /// @notice A solver's `activeClaims` equals the number of intents stored as Executing with it
    /// as the solver, and its counters match the claims, completions and failures seen.
    function invariant_activeClaimsEqualExecutingIntents() public view {
        address[] memory solvers = handler.solvers();
        uint256 n = handler.intentCount();
        for (uint256 s = 0; s < solvers.length; s++) {
            uint256 executing;
            for (uint256 i = 0; i < n; i++) {
                IntentRecord memory rec = verifier.getIntent(handler.idAt(i));
                if (rec.status == IntentStatus.Executing && rec.solver == solvers[s]) executing++;
            }
            ISolverRegistry.SolverInfo memory info = registry.getSolver(solvers[s]);
            assertEq(info.activeClaims, executing, "activeClaims == executing intents of the solver");
            assertLe(info.activeClaims, Config.MAX_ACTIVE_CLAIMS, "activeClaims <= cap");
            assertEq(info.assigned, handler.claimsBy(solvers[s]), "assigned == successful claims");
            assertEq(info.completed, handler.completionsBy(solvers[s]), "completed == fulfilments");
            assertEq(info.failed, handler.failuresBy(solvers[s]), "failed == failed claims");
        }
    }

    /// @notice Every slash took min(slashAmount, bond) and never more than the bond, split
    /// between the harmed user and the treasury; an exited solver holds no bond.
    function invariant_slashNeverExceedsBond() public view {
        assertEq(handler.violations("slash"), 0, "slash accounting");
        address[] memory solvers = handler.solvers();
        for (uint256 i = 0; i < solvers.length; i++) {
            ISolverRegistry.SolverInfo memory info = registry.getSolver(solvers[i]);
            if (info.status == ISolverRegistry.SolverStatus.Exited) assertEq(info.bond, 0, "exited solver has no bond");
        }
    }

    /// @notice The verifier never keeps funds, valid intents are only ever rejected by a rate
    /// limit, and each user's next nonce counts its accepted submissions.
    function invariant_verifierHoldsNothingAndIntakeIsConsistent() public view {
        assertEq(handler.tokenA().balanceOf(address(verifier)), 0, "verifier holds no tokenA");
        assertEq(handler.tokenB().balanceOf(address(verifier)), 0, "verifier holds no tokenB");
        assertEq(handler.feeToken().balanceOf(address(verifier)), 0, "verifier holds no fee token");
        assertEq(handler.violations("intake"), 0, "valid intent rejected other than by a rate limit");
        address[] memory users = handler.users();
        for (uint256 i = 0; i < users.length; i++) {
            assertEq(verifier.nextNonce(users[i]), handler.submittedBy(users[i]), "nonce == accepted submissions");
        }
    }

    /// @notice The handler's actions really drive the system: a scripted sequence through every
    /// action lands each intended effect (a handler whose calls all revert inside its try/catch
    /// would make every invariant above pass vacuously), and the invariants hold afterwards.
    function test_handlerActionsDriveTheSystem() public {
        // Transfer: submit, claim, fulfil.
        handler.submitTransfer(0, 0, 0, 1e18, 600);
        bytes32 transferId = handler.idAt(0);
        handler.claim(1, 1, false);
        assertEq(uint256(verifier.getIntent(transferId).status), uint256(IntentStatus.Executing), "claimed");
        handler.fulfill(1, 0, 0, 1);
        assertEq(uint256(verifier.getIntent(transferId).status), uint256(IntentStatus.Completed), "fulfilled");
        assertEq(handler.outcomes().length, 1, "transfer outcome recorded");

        // Swap tokenA -> tokenB to the user, claimed and fulfilled with 1 % more than the minimum.
        handler.submitSwap(1, 0, 5e18, 2e18, 600);
        handler.claimAndFulfill(1, 1, 2.02e18, 0);
        assertEq(uint256(verifier.getIntent(handler.idAt(1)).status), uint256(IntentStatus.Completed), "swap");
        assertEq(handler.outcomes().length, 2, "swap outcome recorded");

        // A claim that lapses before expiry: requeued and the solver slashed. (The solver made
        // two claims just now, its limit: a minute passes first.)
        handler.warp(60);
        handler.submitTransfer(2, 1, 1, 1e18, 1800);
        handler.claim(1, 1, false);
        handler.failClaim(1, 1, 0);
        assertEq(uint256(verifier.getIntent(handler.idAt(2)).status), uint256(IntentStatus.Pending), "requeued");
        assertEq(handler.totalSlashed(), Config.SLASH_AMOUNT, "slashed once");

        // Cancel and expire.
        handler.cancel(1, 1);
        assertEq(uint256(verifier.getIntent(handler.idAt(2)).status), uint256(IntentStatus.Cancelled), "cancelled");
        handler.submitTransfer(0, 2, 0, 1e18, 30);
        handler.expire(1, 1);
        assertEq(uint256(verifier.getIntent(handler.idAt(3)).status), uint256(IntentStatus.Expired), "expired");

        // Rate limits: six back-to-back submissions of one user cannot all pass.
        handler.submitBurst(2, 6, 1);
        assertTrue(handler.rateLimitedSubmissions() > 0, "a burst runs into the rate limit");

        // Bond lifecycle of the third solver: register, top up, exit, withdraw.
        address solver = handler.solvers()[2];
        handler.solverBond(0, 2, Config.MIN_BOND, 0);
        handler.solverBond(1, 2, 1e18, 0);
        assertEq(registry.getSolver(solver).bond, Config.MIN_BOND + 1e18, "registered and topped up");
        handler.solverBond(2, 2, 0, 0);
        handler.solverBond(3, 2, 0, 1);
        assertEq(uint256(registry.getSolver(solver).status), uint256(ISolverRegistry.SolverStatus.Exited), "exited");
        handler.warp(10);

        invariant_registryStakeBalanceEqualsSumOfBonds();
        invariant_terminalStatusesNeverChange();
        invariant_submissionsWithinTwiceLimitPerRollingWindow();
        invariant_claimsWithinTwiceLimitPerRollingWindow();
        invariant_completedSwapPaidRecipientAtLeastMinAmountOut();
        invariant_activeClaimsEqualExecutingIntents();
        invariant_slashNeverExceedsBond();
        invariant_verifierHoldsNothingAndIntakeIsConsistent();
    }
}
