// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Vm} from "../../utils/Test.sol";
import {IIntentVerifier} from "../../../../contracts/interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "../../../../contracts/interfaces/ISolverRegistry.sol";
import {RateLimit} from "../../../../contracts/libraries/RateLimit.sol";
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
} from "../../../../contracts/libraries/IntentTypes.sol";
import {FeeOnTransferToken} from "../../../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../../../contracts/test/MockERC20.sol";

/// @notice The configuration the invariant test deploys the system with. Limits are tight so
/// that a 64-call sequence actually runs into them.
library IntentSystemConfig {
    uint256 internal constant MIN_BOND = 100 ether;
    uint256 internal constant SLASH_AMOUNT = 25 ether;
    /// @dev Solvers registered at setup survive two slashes before being suspended.
    uint256 internal constant INITIAL_BOND = 150 ether;
    uint256 internal constant SLASH_USER_SHARE_BPS = 7_000;
    uint256 internal constant UNBONDING = 10 minutes;
    uint256 internal constant USER_LIMIT = 2;
    uint256 internal constant USER_WINDOW = 120;
    uint256 internal constant GLOBAL_LIMIT = 4;
    uint256 internal constant GLOBAL_WINDOW = 60;
    uint256 internal constant CLAIM_LIMIT = 2;
    uint256 internal constant CLAIM_WINDOW = 60;
    uint256 internal constant MAX_ACTIVE_CLAIMS = 4;
    uint256 internal constant MAX_TTL = 1 days;
    uint256 internal constant CLAIM_TTL = 300;
    uint256 internal constant MAX_AMOUNT = 1e24;
    address internal constant TREASURY = address(0x7EA5);
}

interface IMintable {
    function mint(address to, uint256 amount) external;
}

/**
 * @title IntentSystemHandler
 * @notice Drives a real deployment (SolverRegistry wired to IntentVerifier, two plain ERC-20s, a
 * 1 % fee-on-transfer token and a stake token, deployed and configured by the invariant test)
 * with bounded random actions of three users and three solvers, and keeps the ghost state the
 * invariants in IntentSystem.t.sol check.
 * @dev Every action swallows reverts (try/catch) and records only what succeeded. One action in
 * four that targets an intent picks any intent, whatever its status, so the lifecycle guards
 * are exercised too. After every action {_observe} reads every intent's stored status, flags
 * illegal transitions and remembers the first terminal status seen. Arrays are capped at
 * {MAX_INTENTS}; with the configured depth of 64 the cap is never the limiting factor.
 */
contract IntentSystemHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant MAX_INTENTS = 96;
    uint256 public constant MIN_BOND = IntentSystemConfig.MIN_BOND;
    uint256 public constant SLASH_AMOUNT = IntentSystemConfig.SLASH_AMOUNT;
    uint256 public constant SLASH_USER_SHARE_BPS = IntentSystemConfig.SLASH_USER_SHARE_BPS;
    address public constant TREASURY = IntentSystemConfig.TREASURY;

    // Plain storage, not immutables: EDR identifies a target contract by its runtime code, and
    // immutables inlined at every use site defeat the match.
    IIntentVerifier public verifier;
    ISolverRegistry public registry;
    MockERC20 public stake;
    MockERC20 public tokenA;
    MockERC20 public tokenB;
    FeeOnTransferToken public feeToken;

    address[] internal _users;
    address[] internal _solvers;
    address[] internal _recipients;

    // ---------------------------------------------------------------- ghost state

    Intent[] internal _intents;
    bytes32[] internal _ids;
    /// @notice Stored status at the end of the last action.
    mapping(bytes32 id => IntentStatus) public lastSeen;
    /// @notice First terminal status ever observed (None while never terminal).
    mapping(bytes32 id => IntentStatus) public firstTerminal;

    mapping(address user => uint256[]) internal _userAdmissions;
    uint256[] internal _globalAdmissions;
    mapping(address solver => uint256[]) internal _claimAdmissions;

    /// @notice What a recipient's balance gained in one successful fulfilment.
    struct Outcome {
        uint8 intentType;
        uint256 received;
        uint256 required;
    }

    Outcome[] internal _outcomes;

    mapping(address user => uint256) public submittedBy;
    mapping(address solver => uint256) public claimsBy;
    mapping(address solver => uint256) public completionsBy;
    mapping(address solver => uint256) public failuresBy;
    uint256 public totalSlashed;
    uint256 public rateLimitedSubmissions;

    /// @notice Properties checked inside the handler, by category; the invariants assert zero.
    mapping(bytes32 category => uint256) public violations;
    string public lastViolation;

    mapping(bytes32 action => uint256) public calls;
    uint256 public totalCalls;

    /// @param verifier_ the verifier, wired to `registry_`, configured by {IntentSystemConfig}
    /// @param registry_ the registry; this handler must hold its GUARDIAN_ROLE (to reinstate)
    constructor(
        IIntentVerifier verifier_,
        ISolverRegistry registry_,
        MockERC20 stake_,
        MockERC20 tokenA_,
        MockERC20 tokenB_,
        FeeOnTransferToken feeToken_
    ) {
        (verifier, registry, stake, tokenA, tokenB, feeToken) = (
            verifier_,
            registry_,
            stake_,
            tokenA_,
            tokenB_,
            feeToken_
        );
        for (uint256 i = 0; i < 3; i++) {
            address user = address(uint160(0x1001 + i));
            _users.push(user);
            _fundAndApprove(user, address(verifier_));
            address solver = address(uint160(0x2001 + i));
            _solvers.push(solver);
            _fundAndApprove(solver, address(verifier_));
            vm.prank(solver);
            stake_.approve(address(registry_), type(uint256).max);
        }
        _recipients.push(address(0x3001));
        _recipients.push(address(0x3002));
        // Two solvers start registered so claims can happen from the first calls.
        for (uint256 i = 0; i < 2; i++) {
            stake_.mint(_solvers[i], IntentSystemConfig.INITIAL_BOND);
            vm.prank(_solvers[i]);
            registry_.register(IntentSystemConfig.INITIAL_BOND);
        }
    }

    modifier action(bytes32 name) {
        calls[name]++;
        totalCalls++;
        _;
        _observe();
    }

    // ---------------------------------------------------------------- user actions

    /// @notice A user submits a valid transfer of tokenA or tokenB to another address.
    function submitTransfer(
        uint256 userSeed,
        uint256 recipientSeed,
        uint256 tokenSeed,
        uint256 amount,
        uint256 ttl
    ) external action("submitTransfer") {
        address user = _users[userSeed % 3];
        _submitTransfer(user, recipientSeed, tokenSeed, amount, ttl);
    }

    /// @notice A user submits up to six valid transfers back to back (same block time), to run
    /// into the per-user and global rate limits. Half the time it first waits exactly until the
    /// verifier says both buckets admit again (a greedy client, which pushes admissions towards
    /// the `2 * limit` per window bound).
    function submitBurst(uint256 userSeed, uint256 count, uint256 seed) external action("submitBurst") {
        address user = _users[userSeed % 3];
        if (seed % 2 == 0) {
            (, uint256 userRetry, , , uint256 globalRetry, ) = verifier.rateLimitStatus(user);
            uint256 wait = userRetry > globalRetry ? userRetry : globalRetry;
            if (wait <= 600) vm.warp(block.timestamp + wait);
        }
        count = _bound(count, 1, 6);
        for (uint256 i = 0; i < count; i++) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            _submitTransfer(user, r, r >> 8, r >> 16, r >> 128);
        }
    }

    /// @notice A user submits a valid swap between two different tokens of the three.
    function submitSwap(
        uint256 userSeed,
        uint256 pairSeed,
        uint256 amountIn,
        uint256 minAmountOut,
        uint256 ttl
    ) external action("submitSwap") {
        address user = _users[userSeed % 3];
        address[3] memory tokens = [address(tokenA), address(tokenB), address(feeToken)];
        uint256 i = pairSeed % 3;
        uint256 j = (i + 1 + ((pairSeed >> 8) % 2)) % 3;
        address recipient = (pairSeed >> 16) % 2 == 0 ? user : _recipients[(pairSeed >> 24) % 2];
        SwapParams memory p = SwapParams({
            tokenIn: tokens[i],
            amountIn: _bound(amountIn, 1, 1e21),
            tokenOut: tokens[j],
            minAmountOut: _bound(minAmountOut, 1, 1e21),
            recipient: recipient
        });
        _submit(user, INTENT_TYPE_SWAP, abi.encode(p), ttl);
    }

    /// @notice The intent's user (or, one time in eight, someone else) cancels it.
    function cancel(uint256 intentSeed, uint256 callerSeed) external action("cancel") {
        (bool found, uint256 i) = _pick(intentSeed, IntentStatus.Pending);
        if (!found) return;
        Intent memory intent = _intents[i];
        address caller = callerSeed % 8 == 0 ? _users[(callerSeed >> 3) % 3] : intent.user;
        vm.prank(caller);
        try verifier.cancel(intent) {} catch {}
    }

    /// @notice Anyone marks a pending intent expired, usually after warping to its expiry when
    /// that is at most 15 minutes away (longer warps would expire everything else too).
    function expire(uint256 intentSeed, uint256 warpSeed) external action("expire") {
        (bool found, uint256 i) = _pick(intentSeed, IntentStatus.Pending);
        if (!found) return;
        Intent memory intent = _intents[i];
        if (warpSeed % 4 != 0 && intent.expiry > block.timestamp && intent.expiry <= block.timestamp + 15 minutes) {
            vm.warp(uint256(intent.expiry) + _bound(warpSeed >> 2, 0, 120));
        }
        vm.prank(_recipients[warpSeed % 2]);
        try verifier.expire(intent) {} catch {}
    }

    // ---------------------------------------------------------------- solver actions

    /// @notice A solver claims an intent: usually an active one, one time in four any solver.
    /// When `greedy`, up to three times in a row: the active solver whose claim bucket refills
    /// first waits exactly until it may claim again and claims a live pending intent (pushing
    /// claims towards the `2 * limit` per window bound).
    function claim(uint256 solverSeed, uint256 intentSeed, bool greedy) external action("claim") {
        if (!greedy) {
            (bool found, uint256 i) = _pick(intentSeed, IntentStatus.Pending);
            if (found) _claim(solverSeed, i);
            return;
        }
        uint256 rounds = 1 + (solverSeed % 3);
        for (uint256 k = 0; k < rounds; k++) {
            (address solver, uint256 wait) = _readiestSolver();
            if (solver == address(0) || wait > 120) return;
            vm.warp(block.timestamp + wait);
            (bool found, uint256 i) = _pick((intentSeed >> (8 * k)) | 1, IntentStatus.Pending);
            if (!found) return;
            _claimAs(solver, i);
            // Each claim is one transition; observe it before the next.
            _observe();
        }
    }

    /// @notice The assigned solver (or, one time in eight, another one) fulfils a claim some
    /// time before its deadline.
    function fulfill(
        uint256 intentSeed,
        uint256 amountSeed,
        uint256 delaySeed,
        uint256 callerSeed
    ) external action("fulfill") {
        (bool found, uint256 i) = _pick(intentSeed, IntentStatus.Executing);
        if (found) _fulfill(i, amountSeed, delaySeed, callerSeed);
    }

    /// @notice The happy path in one step: a pending intent is claimed and then fulfilled by its
    /// solver some time before the deadline.
    function claimAndFulfill(
        uint256 solverSeed,
        uint256 intentSeed,
        uint256 amountSeed,
        uint256 delaySeed
    ) external action("claimAndFulfill") {
        (bool found, uint256 i) = _pick(intentSeed | 1, IntentStatus.Pending);
        if (!found || !_claim(solverSeed, i)) return;
        // Two transitions in one action: observe the first before making the second.
        _observe();
        _fulfill(i, amountSeed, delaySeed, 1);
    }

    /// @notice Anyone fails a claim, usually after warping past its deadline (the intent is
    /// requeued or, at or past expiry, fails). Checks the slash against the bond.
    function failClaim(uint256 intentSeed, uint256 warpSeed, uint256 callerSeed) external action("failClaim") {
        (bool found, uint256 i) = _pick(intentSeed, IntentStatus.Executing);
        if (!found) return;
        Intent memory intent = _intents[i];
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        // A claim that a pause overlapped is released, not slashed (judged by the specs): skip it.
        (, uint256 unpausedAt) = verifier.lastPause();
        if (unpausedAt > rec.claimedAt) return;
        if (rec.status == IntentStatus.Executing && warpSeed % 8 != 0 && block.timestamp <= rec.claimDeadline) {
            vm.warp(uint256(rec.claimDeadline) + 1 + _bound(warpSeed >> 3, 0, 600));
        }
        address solver = rec.solver;
        uint256 bondBefore = registry.getSolver(solver).bond;
        (uint256 userBefore, ) = registry.creditOf(intent.user);
        (uint256 treasuryBefore, ) = registry.creditOf(TREASURY);
        vm.prank(_users[callerSeed % 3]);
        try verifier.fail(intent) {
            failuresBy[solver]++;
            uint256 bondAfter = registry.getSolver(solver).bond;
            if (bondAfter > bondBefore) {
                _violate("slash", "a slash increased the bond");
                return;
            }
            uint256 slashed = bondBefore - bondAfter;
            totalSlashed += slashed;
            uint256 expected = SLASH_AMOUNT < bondBefore ? SLASH_AMOUNT : bondBefore;
            if (slashed != expected) _violate("slash", "slash != min(slashAmount, bond)");
            // Slashes are credited, not paid: the credits grow by the shares.
            (uint256 userAfter, ) = registry.creditOf(intent.user);
            (uint256 treasuryAfter, ) = registry.creditOf(TREASURY);
            uint256 toUser = userAfter - userBefore;
            uint256 toTreasury = treasuryAfter - treasuryBefore;
            if (toUser != (slashed * SLASH_USER_SHARE_BPS) / 10_000 || toUser + toTreasury != slashed) {
                _violate("slash", "slash not split between harmed user and treasury");
            }
        } catch {}
    }

    /// @notice A solver's bond lifecycle, one of: register (again) with a bond around the
    /// minimum; top up (zero included, which must be rejected); announce its exit; withdraw,
    /// usually after warping to the end of its unbonding period; be reinstated by the guardian
    /// (rejected while its bond is too low).
    function solverBond(
        uint256 op,
        uint256 solverSeed,
        uint256 amount,
        uint256 warpSeed
    ) external action("solverBond") {
        address solver = _solvers[solverSeed % 3];
        op %= 5;
        if (op == 0) {
            amount = _bound(amount, MIN_BOND - 1, 3 * MIN_BOND);
            stake.mint(solver, amount);
            vm.prank(solver);
            try registry.register(amount) {} catch {}
        } else if (op == 1) {
            amount = _bound(amount, 0, MIN_BOND);
            stake.mint(solver, amount);
            vm.prank(solver);
            try registry.topUp(amount) {} catch {}
        } else if (op == 2) {
            vm.prank(solver);
            try registry.announceExit() {} catch {}
        } else if (op == 3) {
            ISolverRegistry.SolverInfo memory info = registry.getSolver(solver);
            if (
                info.status == ISolverRegistry.SolverStatus.Exiting &&
                warpSeed % 4 != 0 &&
                info.unbondingEnds > block.timestamp
            ) {
                vm.warp(info.unbondingEnds);
            }
            vm.prank(solver);
            try registry.withdraw() {} catch {}
        } else {
            try registry.reinstate(solver) {} catch {}
        }
    }

    /// @notice Time passes: 1 to 120 seconds.
    function warp(uint256 secondsSeed) external action("warp") {
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 120));
    }

    // ---------------------------------------------------------------- views for invariants

    function intentCount() external view returns (uint256) {
        return _ids.length;
    }

    function idAt(uint256 i) external view returns (bytes32) {
        return _ids[i];
    }

    function users() external view returns (address[] memory) {
        return _users;
    }

    function solvers() external view returns (address[] memory) {
        return _solvers;
    }

    function userAdmissions(address user) external view returns (uint256[] memory) {
        return _userAdmissions[user];
    }

    function globalAdmissions() external view returns (uint256[] memory) {
        return _globalAdmissions;
    }

    function claimAdmissions(address solver) external view returns (uint256[] memory) {
        return _claimAdmissions[solver];
    }

    function outcomes() external view returns (Outcome[] memory) {
        return _outcomes;
    }

    // ---------------------------------------------------------------- internals

    function _submitTransfer(
        address user,
        uint256 recipientSeed,
        uint256 tokenSeed,
        uint256 amount,
        uint256 ttl
    ) internal {
        // Another user or a passive recipient, never the user itself (a self-transfer gains 0).
        uint256 pick = recipientSeed % 4;
        address recipient = pick < 2 ? _recipients[pick] : _users[(_indexOf(user) + pick - 1) % 3];
        address token = tokenSeed % 2 == 0 ? address(tokenA) : address(tokenB);
        bytes memory params = abi.encode(TransferParams(token, _bound(amount, 1, 1e21), recipient));
        _submit(user, INTENT_TYPE_TRANSFER, params, ttl);
    }

    /// @dev Claims intent `i` for a solver: usually an active one, one time in four any solver.
    function _claim(uint256 solverSeed, uint256 i) internal returns (bool claimed) {
        address solver = _solvers[(solverSeed >> 2) % 3];
        if (solverSeed % 4 != 0) {
            for (uint256 k = 0; k < 3; k++) {
                address candidate = _solvers[((solverSeed >> 2) + k) % 3];
                if (registry.isAuthorized(candidate)) {
                    solver = candidate;
                    break;
                }
            }
        }
        return _claimAs(solver, i);
    }

    function _claimAs(address solver, uint256 i) internal returns (bool claimed) {
        vm.prank(solver);
        try verifier.claim(_ids[i]) {
            claimsBy[solver]++;
            _claimAdmissions[solver].push(block.timestamp);
            return true;
        } catch {}
    }

    /// @dev The active solver below its in-flight cap whose claim bucket admits soonest.
    function _readiestSolver() internal view returns (address solver, uint256 wait) {
        wait = type(uint256).max;
        for (uint256 k = 0; k < 3; k++) {
            ISolverRegistry.SolverInfo memory info = registry.getSolver(_solvers[k]);
            if (info.status != ISolverRegistry.SolverStatus.Active) continue;
            if (info.activeClaims >= registry.maxActiveClaims()) continue;
            (, uint256 retryAfter, ) = registry.claimRateLimitStatus(_solvers[k]);
            if (retryAfter < wait) (solver, wait) = (_solvers[k], retryAfter);
        }
    }

    /// @dev Fulfils intent `i` as its solver (or, when `callerSeed % 8 == 0`, another one),
    /// delivering around `minAmountOut` for swaps (sometimes too little; the 1 % fee-on-transfer
    /// token eats into it), and records the recipient's balance gain.
    function _fulfill(uint256 i, uint256 amountSeed, uint256 delaySeed, uint256 callerSeed) internal {
        Intent memory intent = _intents[i];
        IntentRecord memory rec = verifier.getIntent(_ids[i]);
        address solver = rec.solver;
        if (callerSeed % 8 == 0 || solver == address(0)) solver = _solvers[(callerSeed >> 3) % 3];
        if (rec.status == IntentStatus.Executing && rec.claimDeadline > block.timestamp) {
            vm.warp(block.timestamp + _bound(delaySeed, 0, rec.claimDeadline - block.timestamp));
        }

        Fulfillment memory f;
        f.gasUsed = uint40(_bound(delaySeed >> 64, 21_000, 2_000_000));
        f.totalCost = uint128(_bound(delaySeed >> 128, 0, 1 ether));
        f.refs = new CrossChainRef[](callerSeed % 3);
        address recipient;
        IERC20 out;
        uint256 required;
        if (intent.intentType == INTENT_TYPE_TRANSFER) {
            TransferParams memory p = abi.decode(intent.params, (TransferParams));
            (recipient, out, required) = (p.recipient, IERC20(p.token), p.amount);
        } else {
            SwapParams memory p = abi.decode(intent.params, (SwapParams));
            (recipient, out, required) = (p.recipient, IERC20(p.tokenOut), p.minAmountOut);
            f.amountOut = _bound(amountSeed, (required * 98) / 100, (required * 103) / 100 + 1);
            if (out.balanceOf(solver) < f.amountOut) IMintable(address(out)).mint(solver, f.amountOut);
        }

        uint256 before = out.balanceOf(recipient);
        vm.prank(solver);
        try verifier.fulfill(intent, f) {
            uint256 afterBalance = out.balanceOf(recipient);
            _outcomes.push(
                Outcome({
                    intentType: intent.intentType,
                    received: afterBalance > before ? afterBalance - before : 0,
                    required: required
                })
            );
            completionsBy[solver]++;
        } catch {}
    }

    /// @dev Submits a valid intent as its user. The only acceptable rejection is a rate limit.
    function _submit(address user, uint8 intentType, bytes memory params, uint256 ttlSeed) internal {
        if (_ids.length >= MAX_INTENTS) return;
        Intent memory intent = Intent({
            user: user,
            intentType: intentType,
            nonce: verifier.nextNonce(user),
            expiry: uint40(block.timestamp + _bound(ttlSeed, 30, 30 minutes)),
            params: params
        });
        vm.prank(user);
        try verifier.submit(intent) returns (bytes32 id) {
            if (id != verifier.hashIntent(intent)) _violate("intake", "submit returned another id");
            _intents.push(intent);
            _ids.push(id);
            submittedBy[user]++;
            _userAdmissions[user].push(block.timestamp);
            _globalAdmissions.push(block.timestamp);
        } catch (bytes memory reason) {
            if (bytes4(reason) == RateLimit.RateLimited.selector) rateLimitedSubmissions++;
            else _violate("intake", "a valid intent was rejected other than by a rate limit");
        }
    }

    /// @dev Usually the first intent in `want` status (and, for Pending, not yet past its
    /// expiry) from a random start; one time in four any intent, so the guards against
    /// wrong-status and late calls are exercised too.
    function _pick(uint256 seed, IntentStatus want) internal view returns (bool found, uint256 index) {
        uint256 n = _ids.length;
        if (n == 0) return (false, 0);
        uint256 start = (seed >> 2) % n;
        if (seed % 4 == 0) return (true, start);
        for (uint256 k = 0; k < n; k++) {
            uint256 i = (start + k) % n;
            if (lastSeen[_ids[i]] != want) continue;
            if (want == IntentStatus.Pending && _intents[i].expiry <= block.timestamp) continue;
            return (true, i);
        }
        return (false, 0);
    }

    /// @dev Reads every intent's stored status: flags transitions outside the lifecycle and any
    /// change of a terminal status, and records the first terminal status seen.
    function _observe() internal {
        uint256 n = _ids.length;
        for (uint256 i = 0; i < n; i++) {
            bytes32 id = _ids[i];
            IntentStatus current = verifier.getIntent(id).status;
            IntentStatus previous = lastSeen[id];
            if (current != previous) {
                if (_isTerminal(previous)) _violate("terminal", "a terminal status changed");
                else if (!_isLegal(previous, current)) _violate("lifecycle", "illegal status transition");
                lastSeen[id] = current;
            }
            if (_isTerminal(current) && firstTerminal[id] == IntentStatus.None) firstTerminal[id] = current;
        }
    }

    function _isTerminal(IntentStatus s) internal pure returns (bool) {
        return
            s == IntentStatus.Completed ||
            s == IntentStatus.Failed ||
            s == IntentStatus.Expired ||
            s == IntentStatus.Cancelled;
    }

    function _isLegal(IntentStatus from, IntentStatus to) internal pure returns (bool) {
        if (from == IntentStatus.None) return to == IntentStatus.Pending;
        if (from == IntentStatus.Pending) {
            return to == IntentStatus.Executing || to == IntentStatus.Cancelled || to == IntentStatus.Expired;
        }
        if (from == IntentStatus.Executing) {
            return to == IntentStatus.Completed || to == IntentStatus.Failed || to == IntentStatus.Pending;
        }
        return false;
    }

    function _violate(bytes32 category, string memory message) internal {
        violations[category]++;
        lastViolation = message;
    }

    function _fundAndApprove(address account, address spender) internal {
        tokenA.mint(account, 1e30);
        tokenB.mint(account, 1e30);
        feeToken.mint(account, 1e30);
        vm.startPrank(account);
        tokenA.approve(spender, type(uint256).max);
        tokenB.approve(spender, type(uint256).max);
        feeToken.approve(spender, type(uint256).max);
        vm.stopPrank();
    }

    function _indexOf(address user) internal view returns (uint256) {
        for (uint256 i = 0; i < 3; i++) if (_users[i] == user) return i;
        return 0;
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (x >= min && x <= max) return x;
        return min + (x % (max - min + 1));
    }
}
