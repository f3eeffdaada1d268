// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IMintable, IntentSystemConfig as Config} from "../test/solidity/invariants/handlers/IntentSystemHandler.sol";
import {IIntentVerifier} from "../contracts/interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "../contracts/interfaces/ISolverRegistry.sol";
import {
    CrossChainRef,
    Fulfillment,
    INTENT_TYPE_SWAP,
    INTENT_TYPE_TRANSFER,
    Intent,
    IntentRecord,
    IntentStatus,
    SwapParams,
    TransferParams
} from "../contracts/libraries/IntentTypes.sol";
import {FeeOnTransferToken} from "../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../contracts/test/MockERC20.sol";
import {IntentSystemSpec} from "./fuzz/IntentSystemSpec.sol";
import {RuleHandler} from "./fuzz/RuleHandler.sol";

string constant TERMINAL_NEVER_CHANGES = "rule_terminalStatusNeverChanges";
string constant ONLY_ASSIGNED_SOLVER = "rule_onlyAssignedSolverFulfills";
string constant FULFILL_NEEDS_EXECUTING = "rule_fulfillRequiresExecuting";
string constant NONCE_ONCE = "rule_nonceNeverAcceptedTwice";
string constant SWAP_PAYS_MIN_OUT = "rule_completedSwapPaysAtLeastMinAmountOut";

/**
 * @title IntentVerifierSpecHandler
 * @notice The system handler plus the calls the IntentVerifier rules are about: lifecycle calls
 * on terminal intents, fulfilments by the wrong caller or of a non-executing intent, replayed
 * nonces and swap fulfilments with amounts around the minimum. It also lets a user revoke its
 * allowance before a fulfilment, the one way a claimed intent ends Cancelled with its claim
 * window still open.
 * @dev Defined in the spec file on purpose: Hardhat emits an artifact for every contract of a
 * test file it runs, and EDR only fuzzes a target whose runtime code matches an artifact.
 */
contract IntentVerifierSpecHandler is RuleHandler {
    /// @dev As `amountSeed` of {_fulfillment}: the most it delivers, enough even after the fee.
    uint256 private constant ENOUGH = type(uint256).max;

    /// @dev What a fulfilment of an intent delivers, and to whom.
    struct Delivery {
        IERC20 input;
        IERC20 output;
        address recipient;
        uint256 required;
    }

    constructor(
        IIntentVerifier verifier_,
        ISolverRegistry registry_,
        MockERC20 stake_,
        MockERC20 tokenA_,
        MockERC20 tokenB_,
        FeeOnTransferToken feeToken_
    ) RuleHandler(verifier_, registry_, stake_, tokenA_, tokenB_, feeToken_) {}

    /// @notice The user of an executing intent revokes its allowance, the assigned solver tries
    /// to fulfil (which cancels the intent and releases the claim), and the user restores it.
    function fulfillUnfunded(uint256 intentSeed) external action("fulfillUnfunded") {
        (bool found, uint256 i) = _pick(intentSeed | 1, IntentStatus.Executing);
        if (!found) return;
        Intent memory intent = _intents[i];
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        if (rec.status != IntentStatus.Executing || block.timestamp > rec.claimDeadline) return;
        (Delivery memory d, Fulfillment memory f) = _fulfillment(intent, rec.solver, ENOUGH);
        vm.prank(intent.user);
        d.input.approve(address(verifier), 0);
        vm.prank(rec.solver);
        try verifier.fulfill(intent, f) {} catch {}
        vm.prank(intent.user);
        d.input.approve(address(verifier), type(uint256).max);
    }

    /// @notice Rule {TERMINAL_NEVER_CHANGES}. Precondition: an intent is stored as Completed,
    /// Failed, Expired or Cancelled. Call: claim, fulfill (by its recorded solver, fully funded),
    /// fail, cancel (by its user) or expire, by the caller most likely to succeed or anyone.
    function touchTerminal(uint256 intentSeed, uint256 opSeed, uint256 callerSeed) external action("touchTerminal") {
        (bool found, uint256 i) = _find(intentSeed, _isTerminalNow);
        if (!found) return;
        Intent memory intent = _intents[i];
        bytes32 id = _ids[i];
        IntentRecord memory rec = verifier.getIntent(id);
        bytes32 before = keccak256(abi.encode(rec));
        uint256 op = opSeed % 5;
        address caller = _anyActor(callerSeed);
        if (callerSeed % 2 == 0) {
            if (op == 1 && rec.solver != address(0)) caller = rec.solver;
            else if (op == 3) caller = intent.user;
            else if (op == 0) caller = _solvers[(callerSeed >> 1) % 3];
        }
        (, Fulfillment memory f) = _fulfillment(intent, caller, ENOUGH);
        vm.prank(caller);
        if (op == 0) {
            try verifier.claim(id) {} catch {}
        } else if (op == 1) {
            try verifier.fulfill(intent, f) {} catch {}
        } else if (op == 2) {
            try verifier.fail(intent) {} catch {}
        } else if (op == 3) {
            try verifier.cancel(intent) {} catch {}
        } else {
            try verifier.expire(intent) {} catch {}
        }
        _postcondition(
            TERMINAL_NEVER_CHANGES,
            keccak256(abi.encode(verifier.getIntent(id))) == before,
            "a terminal intent's record changed"
        );
    }

    /// @notice Rule {ONLY_ASSIGNED_SOLVER}. Precondition: an intent is Executing. Call: anyone
    /// but its assigned solver fulfils it, with the assigned solver and the caller both holding
    /// and approving what the fulfilment needs.
    function fulfillAsOther(
        uint256 intentSeed,
        uint256 callerSeed,
        uint256 amountSeed
    ) external action("fulfillAsOther") {
        (bool found, uint256 i) = _pick(intentSeed | 1, IntentStatus.Executing);
        if (!found) return;
        Intent memory intent = _intents[i];
        bytes32 id = _ids[i];
        IntentRecord memory rec = verifier.getIntent(id);
        address caller = callerSeed % 2 == 0 ? _solvers[(callerSeed >> 1) % 3] : _anyActor(callerSeed >> 1);
        if (rec.status != IntentStatus.Executing || caller == rec.solver) return;
        (, Fulfillment memory f) = _fulfillment(intent, rec.solver, amountSeed);
        _fulfillment(intent, caller, amountSeed);
        bytes32 before = keccak256(abi.encode(rec));
        bool accepted;
        vm.prank(caller);
        try verifier.fulfill(intent, f) {
            accepted = true;
        } catch {}
        _postcondition(
            ONLY_ASSIGNED_SOLVER,
            !accepted && keccak256(abi.encode(verifier.getIntent(id))) == before,
            "an intent was fulfilled by another caller than its assigned solver"
        );
    }

    /// @notice Rule {FULFILL_NEEDS_EXECUTING}. Precondition: an intent is not Executing (usually
    /// one with a solver on record whose claim window is still open: a claim released by an
    /// unfunded fulfilment). Call: its recorded solver (or any solver) fulfils it, fully funded.
    function fulfillNotExecuting(uint256 intentSeed, uint256 amountSeed) external action("fulfillNotExecuting") {
        (bool found, uint256 i) = _find(intentSeed, _isReleasedInWindow);
        if (!found) (found, i) = _find(intentSeed, _isSubmittedNotExecuting);
        if (!found) return;
        Intent memory intent = _intents[i];
        bytes32 id = _ids[i];
        IntentRecord memory rec = verifier.getIntent(id);
        address caller = rec.solver != address(0) ? rec.solver : _solvers[amountSeed % 3];
        (Delivery memory d, Fulfillment memory f) = _fulfillment(intent, caller, ENOUGH);
        bytes32 before = keccak256(abi.encode(rec));
        uint256 recipientBefore = d.output.balanceOf(d.recipient);
        bool accepted;
        vm.prank(caller);
        try verifier.fulfill(intent, f) {
            accepted = true;
        } catch {}
        _postcondition(
            FULFILL_NEEDS_EXECUTING,
            !accepted &&
                keccak256(abi.encode(verifier.getIntent(id))) == before &&
                d.output.balanceOf(d.recipient) == recipientBefore,
            "an intent that was not Executing was fulfilled"
        );
    }

    /// @notice Rule {NONCE_ONCE}. Precondition: an intent was accepted, so its nonce is used.
    /// Call: its user submits it again, or a fresh intent (new expiry, same params) with the
    /// same nonce.
    function replayNonce(uint256 intentSeed, uint256 variantSeed) external action("replayNonce") {
        uint256 n = _ids.length;
        if (n == 0) return;
        Intent memory intent = _intents[intentSeed % n];
        if (variantSeed % 2 == 1) intent.expiry = uint40(block.timestamp + _bound(variantSeed >> 1, 30, 30 minutes));
        uint64 nonceBefore = verifier.nextNonce(intent.user);
        bool accepted;
        vm.prank(intent.user);
        try verifier.submit(intent) {
            accepted = true;
        } catch {}
        _postcondition(
            NONCE_ONCE,
            !accepted && verifier.nextNonce(intent.user) == nonceBefore,
            "an intent with a used nonce was accepted"
        );
    }

    /// @notice Rule {SWAP_PAYS_MIN_OUT}. Precondition: a swap is Executing. Call: its solver
    /// fulfils it some time before the deadline with an amountOut around minAmountOut (sometimes
    /// too little; the fee-on-transfer token eats 1 %). Postcondition, when it succeeds.
    function fulfillSwap(uint256 intentSeed, uint256 amountSeed, uint256 delaySeed) external action("fulfillSwap") {
        (bool found, uint256 i) = _find(intentSeed, _isExecutingSwap);
        if (!found) return;
        Intent memory intent = _intents[i];
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        if (rec.claimDeadline > block.timestamp) {
            vm.warp(block.timestamp + _bound(delaySeed, 0, rec.claimDeadline - block.timestamp));
        }
        (Delivery memory d, Fulfillment memory f) = _fulfillment(intent, rec.solver, amountSeed);
        uint256 before = d.output.balanceOf(d.recipient);
        vm.prank(rec.solver);
        try verifier.fulfill(intent, f) {
            completionsBy[rec.solver]++;
            uint256 afterBalance = d.output.balanceOf(d.recipient);
            uint256 received = afterBalance > before ? afterBalance - before : 0;
            _outcomes.push(Outcome({intentType: INTENT_TYPE_SWAP, received: received, required: d.required}));
            _postcondition(SWAP_PAYS_MIN_OUT, received >= d.required, "a completed swap paid less than minAmountOut");
        } catch {}
    }

    /// @dev The fulfilment `payer` would make of `intent`, funded and approved: for swaps an
    /// amountOut from 98 % to 103 % of minAmountOut ({ENOUGH}: the top of that range, which
    /// covers the 1 % fee), minted to `payer`. Transfers need no amountOut.
    function _fulfillment(
        Intent memory intent,
        address payer,
        uint256 amountSeed
    ) internal returns (Delivery memory d, Fulfillment memory f) {
        f.gasUsed = uint40(_bound(amountSeed, 21_000, 2_000_000));
        f.refs = new CrossChainRef[](0);
        if (intent.intentType == INTENT_TYPE_TRANSFER) {
            TransferParams memory p = abi.decode(intent.params, (TransferParams));
            return (Delivery(IERC20(p.token), IERC20(p.token), p.recipient, p.amount), f);
        }
        SwapParams memory s = abi.decode(intent.params, (SwapParams));
        d = Delivery(IERC20(s.tokenIn), IERC20(s.tokenOut), s.recipient, s.minAmountOut);
        uint256 most = (s.minAmountOut * 103) / 100 + 1;
        f.amountOut = amountSeed == ENOUGH ? most : _bound(amountSeed, (s.minAmountOut * 98) / 100, most);
        if (d.output.balanceOf(payer) < f.amountOut) IMintable(address(d.output)).mint(payer, f.amountOut);
        vm.prank(payer);
        d.output.approve(address(verifier), type(uint256).max);
    }

    /// @dev The first intent from a random start that satisfies `want`.
    function _find(
        uint256 seed,
        function(uint256) internal view returns (bool) want
    ) internal view returns (bool found, uint256 index) {
        uint256 n = _ids.length;
        for (uint256 k = 0; k < n; k++) {
            uint256 i = (seed + k) % n;
            if (want(i)) return (true, i);
        }
    }

    function _isTerminalNow(uint256 i) internal view returns (bool) {
        return _isTerminal(verifier.getIntent(_ids[i]).status);
    }

    function _isReleasedInWindow(uint256 i) internal view returns (bool) {
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        return rec.status != IntentStatus.Executing && rec.solver != address(0) && rec.claimDeadline >= block.timestamp;
    }

    function _isSubmittedNotExecuting(uint256 i) internal view returns (bool) {
        return verifier.getIntent(_ids[i]).status != IntentStatus.Executing;
    }

    function _isExecutingSwap(uint256 i) internal view returns (bool) {
        return
            _intents[i].intentType == INTENT_TYPE_SWAP && verifier.getIntent(_ids[i]).status == IntentStatus.Executing;
    }
}

/**
 * @title IntentVerifierSpec
 * @notice Properties of IntentVerifier in the deployed system: terminal statuses are final, only
 * the assigned solver fulfils and only an executing intent, a nonce is accepted once, a
 * completed swap pays at least minAmountOut, and submissions respect the per-user and global
 * rate limits.
 * @dev State preservation assumptions of every invariant: the system is driven only through
 * {IntentVerifierSpecHandler}'s actions (users, solvers and anyone; the rate limits, timings and
 * token policies stay as set up, no relayer is exempt and nothing is paused); every submission
 * is made by its user. Every run starts from {setUp}.
 */
contract IntentVerifierSpec is IntentSystemSpec {
    IntentVerifierSpecHandler internal handler;

    /// @notice For any intent stored as Completed, Failed, Expired or Cancelled, no call of
    /// claim, fulfill, fail, cancel or expire, by anyone, changes its stored record.
    function invariant_rule_terminalStatusNeverChanges() public {
        _assertRule(handler, TERMINAL_NEVER_CHANGES);
    }

    /// @notice For any Executing intent and any caller other than its assigned solver, fulfill
    /// reverts and leaves the intent's record unchanged.
    function invariant_rule_onlyAssignedSolverFulfills() public {
        _assertRule(handler, ONLY_ASSIGNED_SOLVER);
    }

    /// @notice For any intent that is not Executing (a completed one, or one whose claim was
    /// released with its window still open), fulfill by its recorded solver reverts and moves
    /// nothing: an intent is never fulfilled twice.
    function invariant_rule_fulfillRequiresExecuting() public {
        _assertRule(handler, FULFILL_NEEDS_EXECUTING);
    }

    /// @notice For any accepted intent, submitting it again, or any intent of the same user with
    /// the same nonce, reverts and leaves the user's next nonce unchanged.
    function invariant_rule_nonceNeverAcceptedTwice() public {
        _assertRule(handler, NONCE_ONCE);
    }

    /// @notice For any Executing swap, a fulfill that succeeds raised the recipient's tokenOut
    /// balance by at least minAmountOut (a fee-on-transfer tokenOut included).
    function invariant_rule_completedSwapPaysAtLeastMinAmountOut() public {
        _assertRule(handler, SWAP_PAYS_MIN_OUT);
    }

    /// @notice No user had more than 2 * userLimit submissions admitted within any closed
    /// interval of one user window (the token bucket's burst bound).
    function invariant_userSubmissionsWithinTwiceLimitPerWindow() public view {
        address[] memory users = handler.users();
        for (uint256 i = 0; i < users.length; i++) {
            uint256 most = _mostInAnyWindow(handler.userAdmissions(users[i]), Config.USER_WINDOW);
            assertLe(most, 2 * Config.USER_LIMIT, "user submissions in one window");
        }
    }

    /// @notice The system as a whole had no more than 2 * globalLimit submissions admitted within
    /// any closed interval of one global window.
    function invariant_globalSubmissionsWithinTwiceLimitPerWindow() public view {
        uint256 most = _mostInAnyWindow(handler.globalAdmissions(), Config.GLOBAL_WINDOW);
        assertLe(most, 2 * Config.GLOBAL_LIMIT, "global submissions in one window");
    }

    function _deployHandler(
        MockERC20 tokenA,
        MockERC20 tokenB,
        FeeOnTransferToken feeToken
    ) internal override returns (RuleHandler) {
        handler = new IntentVerifierSpecHandler(verifier, registry, stake, tokenA, tokenB, feeToken);
        return handler;
    }

    function _ruleSelectors() internal pure override returns (bytes4[] memory selectors) {
        selectors = new bytes4[](6);
        selectors[0] = IntentVerifierSpecHandler.fulfillUnfunded.selector;
        selectors[1] = IntentVerifierSpecHandler.touchTerminal.selector;
        selectors[2] = IntentVerifierSpecHandler.fulfillAsOther.selector;
        selectors[3] = IntentVerifierSpecHandler.fulfillNotExecuting.selector;
        selectors[4] = IntentVerifierSpecHandler.replayNonce.selector;
        selectors[5] = IntentVerifierSpecHandler.fulfillSwap.selector;
    }
}
