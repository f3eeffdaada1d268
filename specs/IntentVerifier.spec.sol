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
string constant FILL_PAYS_MIN_OUT = "rule_fillPaysAtLeastMinAmountOut";
string constant NONCE_ONCE_ACROSS_MODES = "rule_nonceSettlesOnceAcrossModes";

/**
 * @title IntentVerifierSpecHandler
 * @notice The system handler plus the calls the IntentVerifier rules are about: lifecycle calls
 * on terminal intents, fulfilments by the wrong caller or of a non-executing intent, replayed
 * nonces and swap fulfilments with amounts around the minimum. It also lets a user revoke its
 * allowance before a fulfilment, the one way a claimed intent ends Cancelled with its claim
 * window still open. One more user holds a key, so that its intents can be signed: filled in
 * one transaction or relayed for the claim mode, then replayed in either mode.
 * @dev Defined in the spec file on purpose: Hardhat emits an artifact for every contract of a
 * test file it runs, and EDR only fuzzes a target whose runtime code matches an artifact.
 */
contract IntentVerifierSpecHandler is RuleHandler {
    /// @dev As `amountSeed` of {_fulfillment}: the most it delivers, enough even after the fee.
    uint256 private constant ENOUGH = type(uint256).max;
    /// @dev The key of the one user that signs: the fill mode needs a signature by the user.
    uint256 private constant SIGNER_KEY = 0x5161e5;
    /// @dev The signing user's address, funded and approved like the others.
    address private immutable _signer;
    /// @dev A relayer that is nobody's account: it can only submit what the signer signed.
    address private constant RELAYER = address(0x4001);

    /// @dev The signer's intents that were settled or submitted, for the replays.
    Intent[] private _signedSettled;

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
    ) RuleHandler(verifier_, registry_, stake_, tokenA_, tokenB_, feeToken_) {
        _signer = vm.addr(SIGNER_KEY);
        _fundAndApprove(_signer, address(verifier_));
    }

    /// @notice Rule {FILL_PAYS_MIN_OUT}. Precondition: the signer signed a fresh swap (any pair
    /// of the three tokens, amounts up to 1e21) with its next nonce. Call: a solver (registered
    /// or not) fills it with an amountOut from 98 % to 103 % of minAmountOut. Postcondition, when
    /// it succeeds: the recipient's tokenOut balance rose by at least minAmountOut, by exactly what
    /// fill returned, and the signer's nonce advanced by one.
    function fillSigned(
        uint256 pairSeed,
        uint256 amountIn,
        uint256 minAmountOut,
        uint256 amountSeed,
        uint256 solverSeed
    ) external action("fillSigned") {
        address[3] memory tokens = [address(tokenA), address(tokenB), address(feeToken)];
        uint256 i = pairSeed % 3;
        SwapParams memory p = SwapParams({
            tokenIn: tokens[i],
            amountIn: _bound(amountIn, 1, 1e21),
            tokenOut: tokens[(i + 1 + ((pairSeed >> 8) % 2)) % 3],
            minAmountOut: _bound(minAmountOut, 1, 1e21),
            recipient: _recipients[(pairSeed >> 16) % 2]
        });
        (Intent memory intent, bytes memory signature) = _signedIntent(INTENT_TYPE_SWAP, abi.encode(p), pairSeed);
        address solver = _solvers[solverSeed % 3];
        (Delivery memory d, Fulfillment memory f) = _fulfillment(intent, solver, amountSeed);
        uint256 before = d.output.balanceOf(d.recipient);
        vm.prank(solver);
        try verifier.fill(intent, signature, f.amountOut) returns (bytes32, uint256 received) {
            _signedSettled.push(intent);
            uint256 afterBalance = d.output.balanceOf(d.recipient);
            uint256 gained = afterBalance > before ? afterBalance - before : 0;
            _postcondition(
                FILL_PAYS_MIN_OUT,
                gained >= d.required && gained == received && verifier.nextNonce(_signer) == intent.nonce + 1,
                "a fill paid less than minAmountOut, or reported another amount, or did not spend the nonce"
            );
        } catch {}
    }

    /// @notice The signer's fresh transfer is relayed with submitWithSignature (claim mode).
    function submitSigned(uint256 seed) external action("submitSigned") {
        TransferParams memory p = TransferParams({
            token: seed % 2 == 0 ? address(tokenA) : address(tokenB),
            amount: _bound(seed >> 8, 1, 1e21),
            recipient: _recipients[(seed >> 4) % 2]
        });
        (Intent memory intent, bytes memory signature) = _signedIntent(INTENT_TYPE_TRANSFER, abi.encode(p), seed);
        vm.prank(RELAYER);
        try verifier.submitWithSignature(intent, signature) {
            _signedSettled.push(intent);
        } catch {}
    }

    /// @notice Rule {NONCE_ONCE_ACROSS_MODES}. Precondition: an intent of the signer was filled
    /// or submitted, so its nonce is spent. Call: the same signed intent (or one re-signed with a
    /// new expiry and the same nonce) is filled by a registered solver or relayed for the claim
    /// mode. Postcondition: it reverts and the signer's next nonce is unchanged.
    function replayAcrossModes(uint256 seed) external action("replayAcrossModes") {
        uint256 n = _signedSettled.length;
        if (n == 0) return;
        Intent memory intent = _signedSettled[seed % n];
        if ((seed >> 8) % 2 == 1) intent.expiry = uint40(block.timestamp + _bound(seed >> 16, 30, 30 minutes));
        if (intent.expiry <= block.timestamp) intent.expiry = uint40(block.timestamp + 60);
        bytes memory signature = _sign(intent);
        uint64 nonceBefore = verifier.nextNonce(_signer);
        bool accepted;
        if ((seed >> 9) % 2 == 0) {
            address solver = _solvers[(seed >> 10) % 2]; // registered from the start
            (, Fulfillment memory f) = _fulfillment(intent, solver, ENOUGH);
            vm.prank(solver);
            try verifier.fill(intent, signature, f.amountOut) {
                accepted = true;
            } catch {}
        } else {
            vm.prank(RELAYER);
            try verifier.submitWithSignature(intent, signature) {
                accepted = true;
            } catch {}
        }
        _postcondition(
            NONCE_ONCE_ACROSS_MODES,
            !accepted && verifier.nextNonce(_signer) == nonceBefore,
            "a spent nonce settled again"
        );
    }

    /// @dev A fresh intent of the signer with its next nonce, and the signer's EIP-712 signature.
    function _signedIntent(
        uint8 intentType,
        bytes memory params,
        uint256 ttlSeed
    ) internal view returns (Intent memory intent, bytes memory signature) {
        intent = Intent({
            user: _signer,
            intentType: intentType,
            nonce: verifier.nextNonce(_signer),
            expiry: uint40(block.timestamp + _bound(ttlSeed >> 32, 30, 30 minutes)),
            params: params
        });
        signature = _sign(intent);
    }

    /// @dev The signer's EIP-712 signature over `intent`.
    function _sign(Intent memory intent) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SIGNER_KEY, verifier.hashIntent(intent));
        return abi.encodePacked(r, s, v);
    }

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
 * the assigned solver fulfils and only an executing intent, a nonce is accepted once and settles
 * once across the claim and fill modes, a completed swap and a fill pay at least minAmountOut,
 * and submissions respect the per-user and global rate limits.
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

    /// @notice For any swap the user signed, a fill that succeeds raised the recipient's tokenOut
    /// balance by at least minAmountOut, by exactly the amount fill returned, and spent the
    /// user's nonce (a fee-on-transfer tokenOut included).
    function invariant_rule_fillPaysAtLeastMinAmountOut() public {
        _assertRule(handler, FILL_PAYS_MIN_OUT);
    }

    /// @notice For any intent whose nonce was spent in either mode (filled, or relayed for the
    /// claim mode), filling it or relaying it again, signed as it was or with another expiry,
    /// reverts and leaves the user's next nonce unchanged.
    function invariant_rule_nonceSettlesOnceAcrossModes() public {
        _assertRule(handler, NONCE_ONCE_ACROSS_MODES);
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
        selectors = new bytes4[](9);
        selectors[0] = IntentVerifierSpecHandler.fulfillUnfunded.selector;
        selectors[1] = IntentVerifierSpecHandler.touchTerminal.selector;
        selectors[2] = IntentVerifierSpecHandler.fulfillAsOther.selector;
        selectors[3] = IntentVerifierSpecHandler.fulfillNotExecuting.selector;
        selectors[4] = IntentVerifierSpecHandler.replayNonce.selector;
        selectors[5] = IntentVerifierSpecHandler.fulfillSwap.selector;
        selectors[6] = IntentVerifierSpecHandler.fillSigned.selector;
        selectors[7] = IntentVerifierSpecHandler.submitSigned.selector;
        selectors[8] = IntentVerifierSpecHandler.replayAcrossModes.selector;
    }
}
