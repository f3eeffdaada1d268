// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IntentSystemConfig as Config} from "../test/solidity/invariants/handlers/IntentSystemHandler.sol";
import {IIntentVerifier} from "../contracts/interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "../contracts/interfaces/ISolverRegistry.sol";
import {Intent, IntentRecord, IntentStatus} from "../contracts/libraries/IntentTypes.sol";
import {FeeOnTransferToken} from "../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../contracts/test/MockERC20.sol";
import {IntentSystemSpec} from "./fuzz/IntentSystemSpec.sol";
import {RuleHandler} from "./fuzz/RuleHandler.sol";

string constant SLASH_NEVER_EXCEEDS_BOND = "rule_slashNeverExceedsBond";
string constant SLASH_PAYS_USER_SHARE = "rule_slashPaysUserShareAndTreasuryRest";
string constant ONLY_VERIFIER_CHANGES_RECORD = "rule_onlyVerifierChangesSolverRecord";
string constant SLASH_CREDIT_LOCKED = "rule_slashLeavesNoSoonerThanUnbonding";
string constant PAUSE_NEVER_SLASHES = "rule_pausedIntervalNeverSlashes";

/**
 * @title SolverRegistrySpecHandler
 * @notice The system handler plus the calls the SolverRegistry rules are about: failing a lapsed
 * claim (the only way a bond is slashed), anyone calling the verifier-only hooks, and the admin
 * retuning slashing so that slashes capped at the bond and every user share are reached.
 * @dev Defined in the spec file on purpose: Hardhat emits an artifact for every contract of a
 * test file it runs, and EDR only fuzzes a target whose runtime code matches an artifact.
 */
contract SolverRegistrySpecHandler is RuleHandler {
    /// @dev What a slash can move, read before and after it.
    struct SlashView {
        uint256 bond;
        uint256 failed;
        uint256 totalBonded;
        uint256 registryBalance;
        uint256 totalCredited;
        uint256 userCredit;
        uint256 treasuryCredit;
    }

    constructor(
        IIntentVerifier verifier_,
        ISolverRegistry registry_,
        MockERC20 stake_,
        MockERC20 tokenA_,
        MockERC20 tokenB_,
        FeeOnTransferToken feeToken_
    ) RuleHandler(verifier_, registry_, stake_, tokenA_, tokenB_, feeToken_) {}

    /// @notice The admin schedules any slash amount up to three minimum bonds (above a solver's
    /// bond half the time) and any user share; half the time the campaign then warps to when it
    /// applies. Only this spec's rules judge slashes, against the terms in force; the base
    /// handler's own slash check assumes the initial ones.
    function setSlashing(uint256 amountSeed, uint256 shareSeed) external action("setSlashing") {
        (, , address treasury) = registry.slashing();
        vm.prank(IAccessControlDefaultAdminRules(address(registry)).defaultAdmin());
        registry.setSlashing(_bound(amountSeed, 0, 3 * MIN_BOND), _bound(shareSeed, 0, 10_000), treasury);
        // With bonds at stake the change waits an unbonding period plus the longest claim window,
        // far beyond the campaign's own warps: half the time, wait for it, so that the claims
        // lapsing meanwhile are slashed under the new terms.
        if ((shareSeed >> 128) % 2 == 0) {
            uint256 effectiveAt = registry.pendingTerms().effectiveAt;
            if (effectiveAt != 0) vm.warp(effectiveAt);
        }
    }

    /// @notice Rules {SLASH_NEVER_EXCEEDS_BOND} and {SLASH_PAYS_USER_SHARE}. Precondition: an
    /// intent is Executing, its claim deadline has passed (the handler warps there, sometimes
    /// past the expiry too) and no pause ever overlapped it. Call: anyone calls `fail`.
    function failLapsedClaim(
        uint256 intentSeed,
        uint256 warpSeed,
        uint256 callerSeed
    ) external action("failLapsedClaim") {
        // `| 1`: always an intent last seen Executing, never the base handler's random pick.
        (bool found, uint256 i) = _pick(intentSeed | 1, IntentStatus.Executing);
        if (!found) return;
        Intent memory intent = _intents[i];
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        // Pauses never overlap one another: when the last ended by the claim, none overlapped it.
        (, uint256 unpausedAt) = verifier.lastPause();
        if (rec.status != IntentStatus.Executing || unpausedAt > rec.claimedAt) return;
        // Our own clock: block.timestamp read after vm.warp can be stale under via-IR.
        uint256 failedAt = block.timestamp;
        if (failedAt <= rec.claimDeadline) {
            failedAt = uint256(rec.claimDeadline) + 1 + _bound(warpSeed, 0, 600);
            vm.warp(failedAt);
        }

        (uint256 slashAmount, uint256 shareBps, address treasury) = registry.slashing();
        SlashView memory pre = _slashView(rec.solver, intent.user, treasury);
        vm.prank(_anyActor(callerSeed));
        try verifier.fail(intent) {} catch {
            _postcondition(SLASH_NEVER_EXCEEDS_BOND, false, "fail reverted on a lapsed claim");
            return;
        }
        SlashView memory post = _slashView(rec.solver, intent.user, treasury);
        failuresBy[rec.solver]++;

        uint256 expected = slashAmount < pre.bond ? slashAmount : pre.bond;
        bool bondFell = post.bond <= pre.bond;
        uint256 slashed = bondFell ? pre.bond - post.bond : 0;
        totalSlashed += slashed;
        _postcondition(
            SLASH_NEVER_EXCEEDS_BOND,
            post.failed == pre.failed + 1 &&
                bondFell &&
                slashed == expected &&
                pre.totalBonded >= post.totalBonded &&
                pre.totalBonded - post.totalBonded == slashed,
            "bond or totalBonded did not fall by min(slashAmount, bond)"
        );

        // Every stake token slashed is credited to the harmed user or the treasury; none leaves.
        uint256 toUser = _gain(pre.userCredit, post.userCredit);
        uint256 toTreasury = _gain(pre.treasuryCredit, post.treasuryCredit);
        _postcondition(
            SLASH_PAYS_USER_SHARE,
            toUser == (slashed * shareBps) / 10_000 &&
                toUser + toTreasury == slashed &&
                post.registryBalance == pre.registryBalance &&
                post.totalCredited - pre.totalCredited == slashed,
            "slash not credited as userShareBps to the user, the rest to the treasury"
        );

        _checkCreditsLocked(intent.user, toUser, treasury, toTreasury, failedAt);
    }

    /// @dev Rule {SLASH_CREDIT_LOCKED}: what a slash moves cannot be withdrawn before one
    /// unbonding period, no faster than the bond it came from.
    function _checkCreditsLocked(
        address user,
        uint256 toUser,
        address treasury,
        uint256 toTreasury,
        uint256 failedAt
    ) internal {
        (, uint256 unbondingPeriod) = registry.bondParameters();
        (, uint256 userUnlocks) = registry.creditOf(user);
        (, uint256 treasuryUnlocks) = registry.creditOf(treasury);
        uint256 earliest = failedAt + unbondingPeriod;
        _postcondition(
            SLASH_CREDIT_LOCKED,
            (toUser == 0 || userUnlocks >= earliest) && (toTreasury == 0 || treasuryUnlocks >= earliest),
            "a slash credit unlocks before the unbonding period"
        );
    }

    /// @notice Rule {PAUSE_NEVER_SLASHES}. Precondition: an intent is Executing and its claim
    /// deadline has not passed. Call: the guardian pauses and unpauses the verifier at a second
    /// after the claim and by its deadline; then, past the deadline, anyone calls `fail`.
    function pauseAcrossClaim(uint256 intentSeed, uint256 warpSeed, uint256 callerSeed) external action("pause") {
        (bool found, uint256 i) = _pick(intentSeed | 1, IntentStatus.Executing);
        if (!found) return;
        Intent memory intent = _intents[i];
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        if (rec.status != IntentStatus.Executing || block.timestamp >= rec.claimDeadline) return;
        // A pause in the claim's own second came before it (no claim is made while paused).
        uint256 pauseAt = block.timestamp > rec.claimedAt ? block.timestamp : uint256(rec.claimedAt) + 1;
        pauseAt += _bound(warpSeed, 0, uint256(rec.claimDeadline) - pauseAt);
        vm.warp(pauseAt);
        address guardian = IAccessControlDefaultAdminRules(address(verifier)).defaultAdmin();
        vm.startPrank(guardian);
        verifier.pause();
        verifier.unpause();
        vm.stopPrank();
        vm.warp(uint256(rec.claimDeadline) + 1 + _bound(warpSeed >> 64, 0, 600));

        (, , address treasury) = registry.slashing();
        SlashView memory pre = _slashView(rec.solver, intent.user, treasury);
        vm.prank(_anyActor(callerSeed));
        bool released = true;
        try verifier.fail(intent) {} catch {
            released = false;
        }
        SlashView memory post = _slashView(rec.solver, intent.user, treasury);
        IntentStatus after_ = verifier.getIntent(_ids[i]).status;
        _postcondition(
            PAUSE_NEVER_SLASHES,
            released &&
                post.bond == pre.bond &&
                post.failed == pre.failed &&
                post.totalCredited == pre.totalCredited &&
                (after_ == IntentStatus.Pending || after_ == IntentStatus.Expired),
            "a claim overlapped by a pause was slashed or not released"
        );
    }

    /// @notice Rule {ONLY_VERIFIER_CHANGES_RECORD}. Precondition: the caller is not the wired
    /// verifier. Call: one of recordClaim, recordSuccess, recordRelease, recordFailure, or the
    /// verifier's setFillEligibility (the registry's alone), for a solver of the system or any
    /// address, with arbitrary arguments.
    function callVerifierHook(
        uint256 hookSeed,
        uint256 callerSeed,
        uint256 solverSeed,
        uint256 argSeed
    ) external action("callVerifierHook") {
        address caller = _anyActor(callerSeed);
        if (caller == address(verifier)) return;
        address solver = solverSeed % 4 == 0 ? address(uint160(solverSeed >> 2)) : _solvers[(solverSeed >> 2) % 3];
        bytes32 before = _registryStateOf(solver);
        bool accepted = true;
        uint256 hook = hookSeed % 5;
        address harmedUser = _anyActor(argSeed);
        vm.prank(caller);
        if (hook == 0) {
            try registry.recordClaim(solver) {} catch {
                accepted = false;
            }
        } else if (hook == 1) {
            try registry.recordSuccess(solver, argSeed % 20_000, argSeed & 1 == 1) {} catch {
                accepted = false;
            }
        } else if (hook == 2) {
            // The registry's copy in the verifier is written by the registry alone.
            try verifier.setFillEligibility(solver, argSeed & 1 == 1) {} catch {
                accepted = false;
            }
        } else if (hook == 3) {
            try registry.recordRelease(solver) {} catch {
                accepted = false;
            }
        } else {
            try registry.recordFailure(solver, harmedUser) {} catch {
                accepted = false;
            }
        }
        _postcondition(
            ONLY_VERIFIER_CHANGES_RECORD,
            !accepted && _registryStateOf(solver) == before,
            "a verifier-only hook accepted another caller"
        );
    }

    function _slashView(address solver, address user, address treasury) internal view returns (SlashView memory v) {
        ISolverRegistry.SolverInfo memory info = registry.getSolver(solver);
        v.bond = info.bond;
        v.failed = info.failed;
        v.totalBonded = registry.totalBonded();
        v.registryBalance = stake.balanceOf(address(registry));
        v.totalCredited = registry.totalCredited();
        (v.userCredit, ) = registry.creditOf(user);
        (v.treasuryCredit, ) = registry.creditOf(treasury);
    }

    /// @dev How much `to` exceeds `from`; 0 when it does not (a fall is not a gain, never a panic).
    function _gain(uint256 from, uint256 to) internal pure returns (uint256) {
        return to > from ? to - from : 0;
    }

    /// @dev Everything the registry holds for `solver`, and the bonds as a whole.
    function _registryStateOf(address solver) internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    registry.getSolver(solver),
                    registry.totalBonded(),
                    stake.balanceOf(address(registry)),
                    verifier.isFillEligible(solver)
                )
            );
    }
}

/**
 * @title SolverRegistrySpec
 * @notice Properties of SolverRegistry in the deployed system: bonds are backed, slashes are
 * bounded and split as configured, only the verifier drives a solver's record, claims respect
 * the per-solver rate limit and activeClaims tracks the verifier.
 * @dev State preservation assumptions of every invariant: the system is driven only through
 * {SolverRegistrySpecHandler}'s actions (users, solvers, anyone, the admin scheduling slashing
 * changes, and the guardian pausing the verifier for an instant across a claim; the bond,
 * rate-limit and claim-cap parameters stay as set up, and neither contract stays paused);
 * the stake token is a plain ERC-20 (no fee, no hooks). Every run starts from {setUp}.
 */
contract SolverRegistrySpec is IntentSystemSpec {
    SolverRegistrySpecHandler internal handler;

    /// @notice The registry's stake-token balance covers the sum of all bonds, and totalBonded
    /// equals that sum.
    function invariant_bondsBackedByStakeBalance() public view {
        address[] memory solvers = handler.solvers();
        uint256 sumOfBonds;
        for (uint256 i = 0; i < solvers.length; i++) sumOfBonds += registry.getSolver(solvers[i]).bond;
        assertGe(stake.balanceOf(address(registry)), sumOfBonds, "registry stake balance >= sum of bonds");
        assertEq(registry.totalBonded(), sumOfBonds, "totalBonded == sum of bonds");
    }

    /// @notice For any claim failed after its deadline (no pause overlapping it), `fail` succeeds
    /// and the solver's bond and totalBonded both fall by exactly min(slashAmount, bond): a slash
    /// never exceeds the bond, and a lapsed claim can always be failed.
    function invariant_rule_slashNeverExceedsBond() public {
        _assertRule(handler, SLASH_NEVER_EXCEEDS_BOND);
    }

    /// @notice For any slash, the harmed user is credited slashed * userShareBps / 10,000 stake
    /// tokens and the treasury the rest; totalCredited grows by the slash and no stake token
    /// leaves the registry.
    function invariant_rule_slashPaysUserShareAndTreasuryRest() public {
        _assertRule(handler, SLASH_PAYS_USER_SHARE);
    }

    /// @notice For any slash, its credits unlock no sooner than one unbonding period later: a
    /// bond never leaves the registry faster than the unbonding period, slashed or not.
    function invariant_rule_slashLeavesNoSoonerThanUnbonding() public {
        _assertRule(handler, SLASH_CREDIT_LOCKED);
    }

    /// @notice For any claim that a pause overlapped (started by its deadline, ended after its
    /// claim second), `fail` after the deadline releases it: no slash, no failure counted, no
    /// credit, the intent Pending or Expired.
    function invariant_rule_pausedIntervalNeverSlashes() public {
        _assertRule(handler, PAUSE_NEVER_SLASHES);
    }

    /// @notice For any caller other than the verifier and any arguments, recordClaim,
    /// recordSuccess, recordRelease and recordFailure revert, and so does the verifier's
    /// setFillEligibility for any caller but the registry; each leaves the solver's record, its
    /// bond, its fill eligibility, totalBonded and the registry's balance unchanged.
    function invariant_rule_onlyVerifierChangesSolverRecord() public {
        _assertRule(handler, ONLY_VERIFIER_CHANGES_RECORD);
    }

    /// @notice For every solver, the verifier's fill eligibility equals the registry's "Active":
    /// the copy the registry keeps in the verifier follows every registration, exit, withdrawal,
    /// suspending slash and reinstatement, so a fill is open to exactly the Active solvers.
    function invariant_fillEligibilityMirrorsActive() public view {
        address[] memory solvers = handler.solvers();
        for (uint256 i = 0; i < solvers.length; i++) {
            bool active = registry.getSolver(solvers[i]).status == ISolverRegistry.SolverStatus.Active;
            assertTrue(verifier.isFillEligible(solvers[i]) == active, "fill eligibility == registry Active");
        }
    }

    /// @notice No solver had more than 2 * claimLimit claims admitted within any closed interval
    /// of one claim window (the token bucket's burst bound).
    function invariant_claimsWithinTwiceLimitPerWindow() public view {
        address[] memory solvers = handler.solvers();
        for (uint256 i = 0; i < solvers.length; i++) {
            uint256 most = _mostInAnyWindow(handler.claimAdmissions(solvers[i]), Config.CLAIM_WINDOW);
            assertLe(most, 2 * Config.CLAIM_LIMIT, "solver claims in one window");
        }
    }

    /// @notice A solver's activeClaims equals the number of intents stored as Executing with it
    /// as the solver and stays within the cap; its assigned, completed and failed counters match
    /// the claims, fulfilments and failures that succeeded.
    function invariant_activeClaimsMatchExecutingIntents() public view {
        address[] memory solvers = handler.solvers();
        // One pass over the intents (this check runs after every call of the campaign).
        uint256[] memory executing = new uint256[](solvers.length);
        uint256 n = handler.intentCount();
        for (uint256 i = 0; i < n; i++) {
            IntentRecord memory rec = verifier.getIntent(handler.idAt(i));
            if (rec.status != IntentStatus.Executing) continue;
            for (uint256 s = 0; s < solvers.length; s++) if (rec.solver == solvers[s]) executing[s]++;
        }
        for (uint256 s = 0; s < solvers.length; s++) {
            ISolverRegistry.SolverInfo memory info = registry.getSolver(solvers[s]);
            assertEq(info.activeClaims, executing[s], "activeClaims == executing intents of the solver");
            assertLe(info.activeClaims, Config.MAX_ACTIVE_CLAIMS, "activeClaims <= cap");
            assertEq(info.assigned, handler.claimsBy(solvers[s]), "assigned == successful claims");
            assertEq(info.completed, handler.completionsBy(solvers[s]), "completed == fulfilments");
            assertEq(info.failed, handler.failuresBy(solvers[s]), "failed == failed claims");
        }
    }

    function _deployHandler(
        MockERC20 tokenA,
        MockERC20 tokenB,
        FeeOnTransferToken feeToken
    ) internal override returns (RuleHandler) {
        handler = new SolverRegistrySpecHandler(verifier, registry, stake, tokenA, tokenB, feeToken);
        return handler;
    }

    function _ruleSelectors() internal pure override returns (bytes4[] memory selectors) {
        selectors = new bytes4[](4);
        selectors[0] = SolverRegistrySpecHandler.setSlashing.selector;
        selectors[1] = SolverRegistrySpecHandler.failLapsedClaim.selector;
        selectors[2] = SolverRegistrySpecHandler.callVerifierHook.selector;
        selectors[3] = SolverRegistrySpecHandler.pauseAcrossClaim.selector;
    }
}
