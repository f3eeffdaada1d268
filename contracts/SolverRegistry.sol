// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IIntentVerifier} from "./interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "./interfaces/ISolverRegistry.sol";
import {RateLimit} from "./libraries/RateLimit.sol";
import {BondWord, BondWordLibrary} from "./libraries/BondWord.sol";
import {CreditWord} from "./libraries/CreditWord.sol";
import {SolverRecord, SolverRecordLibrary} from "./libraries/SolverRecord.sol";

/**
 * @title SolverRegistry
 * @notice Bonded solvers, their authorization, their on-chain track record and their slashing.
 *
 * A solver registers with a bond in `stakeToken` of at least `minBond`, may top it up, announces
 * its exit and withdraws after the unbonding period. Its bond stays slashable until withdrawn.
 * Only the wired {IntentVerifier} updates the track record and slashes.
 *
 * Performance score: an exponentially weighted moving average (alpha = 1/8) of outcome samples in
 * basis points. A failure samples 0; a success samples 5,000 to 10,000, higher the more of the
 * claim window was left (an instant fill scores 10,000, one at the deadline 5,000). New solvers
 * start at 5,000, so trust is earned. Alpha 1/8 weighs the last ~16 outcomes (a sample's weight
 * halves every ~5 outcomes): recent enough to react to a solver going bad within a handful of
 * intents, smooth enough that one unlucky fill does not sink a good solver. It is computed with
 * one multiply and one shift, at no extra storage cost.
 */
contract SolverRegistry is ISolverRegistry, AccessControlDefaultAdminRules, ReentrancyGuardTransient, Pausable {
    using SafeERC20 for IERC20;

    /// @notice Pauses and unpauses the registry, suspends solvers.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Sets the per-solver claim rate limit and concurrency cap.
    bytes32 public constant RATE_LIMIT_ADMIN_ROLE = keccak256("RATE_LIMIT_ADMIN_ROLE");

    uint256 private constant BPS = 10_000;
    uint256 private constant INITIAL_SCORE = 5_000;

    // A solver's record, bond and credits are packed words, each a user-defined value type whose
    // layout and transitions are in its library: {SolverRecord}, {BondWord}, {CreditWord}.

    /// @notice ERC-20 token bonds are held in.
    IERC20 public immutable stakeToken;

    // Packed on purpose into the slot that Pausable._paused starts (Pausable is the last base
    // with storage): recordClaim, the hottest path, reads paused, the verifier, the claim rate
    // limit and the concurrency cap with a single SLOAD. 8 + 160 + 24 + 24 + 16 = 232 bits.
    address private _verifier;
    uint24 private _claimLimit;
    uint24 private _claimWindow;
    uint16 private _maxActiveClaims;

    /// @notice Longest claim window the verifier allows (its claim window is a uint16): a claim
    /// made before a change of the bond terms was scheduled settles before the change applies.
    uint256 public constant MAX_CLAIM_WINDOW = type(uint16).max;

    // The terms that can move a bond, in force, and a change waiting for its time (effectiveAt
    // is 0 when none is scheduled). Cold: read on registration, exit, reinstatement and slashing.
    BondTerms private _terms;
    BondTerms private _pendingTerms;

    /// @notice Sum of all bonds.
    uint256 public totalBonded;
    /// @notice Sum of all slash credits not yet withdrawn. The registry's stake-token balance
    /// never drops below `totalBonded + totalCredited`.
    uint256 public totalCredited;

    mapping(address solver => SolverRecord record) private _records;
    mapping(address solver => BondWord bond) private _bonds;
    // Slash proceeds owed to a harmed user or the treasury.
    mapping(address account => CreditWord credit) private _credits;

    /**
     * @param stakeToken_ ERC-20 token bonds are held in
     * @param admin initial default admin (also granted the guardian and rate-limit admin roles)
     * @param adminDelay delay before a default-admin handover takes effect
     * @param minBond_ smallest bond an active solver may hold
     * @param unbondingPeriod_ seconds between announcing an exit and withdrawing
     * @param treasury_ receives the part of each slash not paid to the harmed user
     */
    constructor(
        IERC20 stakeToken_,
        address admin,
        uint48 adminDelay,
        uint256 minBond_,
        uint256 unbondingPeriod_,
        address treasury_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (address(stakeToken_) == address(0) || treasury_ == address(0)) revert ZeroAddress();
        stakeToken = stakeToken_;
        _grantRole(GUARDIAN_ROLE, admin);
        _grantRole(RATE_LIMIT_ADMIN_ROLE, admin);
        // Defaults: at most 60 claims per solver in any rolling minute (30 per 60 s, doubled by
        // the burst; see RateLimit), 16 claims in flight, a slash of a tenth of the minimum bond,
        // all of it to the harmed user.
        _setClaimRateLimit(30, 60);
        _setMaxActiveClaims(16);
        BondTerms memory terms = BondTerms({
            minBond: 0,
            slashAmount: 0,
            treasury: treasury_,
            unbondingPeriod: 0,
            userShareBps: uint16(BPS),
            effectiveAt: 0
        });
        _withBondParameters(terms, minBond_, unbondingPeriod_);
        _withSlashing(terms, minBond_ / 10, BPS, treasury_);
        _schedule(terms);
    }

    // ---------------------------------------------------------------- solvers

    /**
     * @notice Registers the caller as a solver with a bond of `amount` stake tokens.
     * @dev Needs an allowance of `amount`. The bond credited is what the registry actually
     * received, so a fee-on-transfer stake token cannot inflate it.
     * @param amount stake tokens to bond, at least `minBond`
     */
    function register(uint256 amount) external nonReentrant whenNotPaused {
        SolverRecord record = _records[msg.sender];
        SolverStatus status = record.status();
        if (status != SolverStatus.None && status != SolverStatus.Exited) {
            revert InvalidSolverStatus(msg.sender, status);
        }
        uint256 minBond_ = _applyDueTerms().minBond;
        if (amount < minBond_) revert BondTooLow(amount, minBond_);
        uint256 received = _pull(amount);
        if (received < minBond_) revert BondTooLow(received, minBond_);
        // Bonds live in 128 bits beside the unbonding time; more would be silently truncated.
        if (received > type(uint128).max) revert InvalidAmount(amount);

        if (status == SolverStatus.None) record = SolverRecordLibrary.fresh(INITIAL_SCORE);
        _records[msg.sender] = record.withStatus(SolverStatus.Active);
        _bonds[msg.sender] = BondWordLibrary.fromAmount(received);
        totalBonded += received;
        emit SolverRegistered(msg.sender, received);
        _copyFillEligibility(msg.sender, true);
    }

    /**
     * @notice Adds `amount` stake tokens to the caller's bond.
     * @dev Allowed while active or suspended. Topping up does not lift a suspension.
     * @param amount stake tokens to add
     */
    function topUp(uint256 amount) external nonReentrant whenNotPaused {
        SolverStatus status = _records[msg.sender].status();
        if (status != SolverStatus.Active && status != SolverStatus.Suspended) {
            revert InvalidSolverStatus(msg.sender, status);
        }
        if (amount == 0) revert InvalidAmount(0);
        uint256 received = _pull(amount);
        // A top-up is open only before an exit, so the bond word holds no unbonding time yet.
        uint256 bond = _bonds[msg.sender].amount() + received;
        if (bond > type(uint128).max) revert InvalidAmount(amount);
        _bonds[msg.sender] = BondWordLibrary.fromAmount(bond);
        totalBonded += received;
        emit BondToppedUp(msg.sender, received, bond);
    }

    /**
     * @notice Starts the caller's exit: it takes no new claims and may withdraw after the
     * unbonding period, once its claims in flight are settled. The bond stays slashable. Open
     * while the registry is paused: a pause stops new business, never a solver's way out.
     * Guarded: a stake token that calls back during {topUp} must not start an exit that the
     * top-up's own write of the bond word would then erase.
     */
    function announceExit() external nonReentrant {
        SolverRecord record = _records[msg.sender];
        SolverStatus status = record.status();
        if (status != SolverStatus.Active && status != SolverStatus.Suspended) {
            revert InvalidSolverStatus(msg.sender, status);
        }
        uint256 unbondingEnds = block.timestamp + _applyDueTerms().unbondingPeriod;
        _records[msg.sender] = record.withStatus(SolverStatus.Exiting);
        _bonds[msg.sender] = _bonds[msg.sender].exiting(unbondingEnds);
        emit ExitAnnounced(msg.sender, unbondingEnds);
        if (status == SolverStatus.Active) _copyFillEligibility(msg.sender, false);
    }

    /// @notice Withdraws the caller's whole bond after the unbonding period and marks it exited.
    /// Open while the registry is paused, so that no pause can hold a bond whose unbonding passed.
    function withdraw() external nonReentrant {
        SolverRecord record = _records[msg.sender];
        SolverStatus status = record.status();
        if (status != SolverStatus.Exiting) revert InvalidSolverStatus(msg.sender, status);
        BondWord bondWord = _bonds[msg.sender];
        uint256 unbondingEnds = bondWord.unbondingEnds();
        if (block.timestamp < unbondingEnds) revert StillUnbonding(msg.sender, unbondingEnds);
        uint256 active = record.activeClaims();
        if (active != 0) revert ClaimsInFlight(msg.sender, active);

        uint256 bond = bondWord.amount();
        _records[msg.sender] = record.withStatus(SolverStatus.Exited);
        _bonds[msg.sender] = BondWord.wrap(0);
        totalBonded -= bond;
        emit SolverExited(msg.sender, bond);
        stakeToken.safeTransfer(msg.sender, bond);
    }

    // ---------------------------------------------------------------- verifier hooks

    /// @inheritdoc ISolverRegistry
    function recordClaim(address solver) external {
        // One SLOAD brings paused, the verifier, the rate limit and the cap (see layout above).
        (uint256 claimLimit, uint256 claimWindow, uint256 maxActive) = _hookConfig(true);
        SolverRecord record = _records[solver];
        SolverStatus status = record.status();
        if (status != SolverStatus.Active) revert InvalidSolverStatus(solver, status);
        if (record.activeClaims() >= maxActive) revert ConcurrencyLimitReached(solver, maxActive);
        _records[solver] = record.claimed(claimLimit, claimWindow, bytes32(uint256(uint160(solver))));
    }

    /// @inheritdoc ISolverRegistry
    function recordSuccess(address solver, uint256 latencyScoreBps, bool scored) external {
        _hookConfig(false);
        SolverRecord record = _records[solver];
        if (scored) {
            if (latencyScoreBps > BPS) latencyScoreBps = BPS;
            record = record.succeeded(latencyScoreBps);
        } else {
            // A self-dealt claim frees its slot and counts nothing: filling one's own intents
            // must not buy a track record.
            record = record.released();
        }
        _records[solver] = record;
        emit SolverOutcomeRecorded(solver, true, record.score());
    }

    /// @inheritdoc ISolverRegistry
    function recordRelease(address solver) external {
        if (msg.sender != _verifier) revert NotVerifier(msg.sender);
        // A claim being released was admitted by recordClaim, so activeClaims >= 1.
        SolverRecord record = _records[solver].released();
        _records[solver] = record;
        emit SolverClaimReleased(solver, record.activeClaims());
    }

    /// @inheritdoc ISolverRegistry
    function recordFailure(address solver, address harmedUser) external nonReentrant returns (uint256 slashed) {
        // Not stopped by a pause: a claim that lapsed must be settled for its solver to leave.
        if (msg.sender != _verifier) revert NotVerifier(msg.sender);
        BondTerms memory terms = _applyDueTerms();
        SolverRecord record = _records[solver].lapsed();

        BondWord bondWord = _bonds[solver];
        uint256 bond = bondWord.amount();
        slashed = terms.slashAmount;
        if (slashed > bond) slashed = bond;
        bond -= slashed;
        SolverStatus status = record.status();
        bool suspended = status == SolverStatus.Active && bond < terms.minBond;
        if (suspended) {
            record = record.withStatus(SolverStatus.Suspended);
            emit SolverStatusChanged(solver, SolverStatus.Suspended);
        }
        _records[solver] = record;
        _bonds[solver] = bondWord.withAmount(bond);
        totalBonded -= slashed;
        emit SolverOutcomeRecorded(solver, false, record.score());

        uint256 toUser = (slashed * terms.userShareBps) / BPS;
        uint256 toTreasury = slashed - toUser;
        emit SolverSlashed(solver, harmedUser, toUser, toTreasury, bond);
        // Credited, not paid: no payee can make a failure unrecordable by refusing the stake
        // token, and a slash leaves the registry no sooner than the bond it came from would have.
        uint256 unlocksAt = block.timestamp + terms.unbondingPeriod;
        if (toUser != 0) _credit(harmedUser, toUser, unlocksAt);
        if (toTreasury != 0) _credit(terms.treasury, toTreasury, unlocksAt);
        if (suspended) _copyFillEligibility(solver, false);
    }

    // ---------------------------------------------------------------- slash credits

    /**
     * @notice Withdraws the caller's slash credits once they have unlocked.
     * @dev A credit unlocks one unbonding period after the last slash credited to the account.
     */
    function withdrawCredit() external nonReentrant {
        CreditWord credit = _credits[msg.sender];
        uint256 amount = credit.amount();
        if (amount == 0) revert NoCredit(msg.sender);
        uint256 unlocksAt = credit.unlocksAt();
        if (block.timestamp < unlocksAt) revert CreditLocked(msg.sender, unlocksAt);
        _credits[msg.sender] = CreditWord.wrap(0);
        totalCredited -= amount;
        emit CreditWithdrawn(msg.sender, amount);
        stakeToken.safeTransfer(msg.sender, amount);
    }

    /// @notice The slash credits of `account` and when they unlock.
    function creditOf(address account) external view returns (uint256 amount, uint256 unlocksAt) {
        CreditWord credit = _credits[account];
        return (credit.amount(), credit.unlocksAt());
    }

    // ---------------------------------------------------------------- admin

    /**
     * @notice Wires the verifier allowed to record claims, outcomes and slashes. Once only:
     * re-wiring would strand the old verifier's claims in flight (they could neither be settled
     * nor failed, and their solvers could never withdraw). A new verifier needs a new registry.
     * @param verifier_ the {IntentVerifier} address
     */
    function setVerifier(address verifier_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (verifier_ == address(0)) revert ZeroAddress();
        if (_verifier != address(0)) revert VerifierAlreadySet(_verifier);
        _verifier = verifier_;
        emit VerifierSet(verifier_);
    }

    /**
     * @notice Copies `solver`'s Active status to the verifier, for a solver that registered
     * before the verifier was wired (every later change of status is copied as it happens).
     * Anyone may call it: it only writes what the registry already says.
     * @param solver the solver
     */
    function syncFillEligibility(address solver) external {
        if (_verifier == address(0)) revert VerifierNotSet();
        _copyFillEligibility(solver, _records[solver].status() == SolverStatus.Active);
    }

    /**
     * @notice Suspends an active solver: it takes no new claims until reinstated.
     * @param solver the solver to suspend
     */
    function suspend(address solver) external onlyRole(GUARDIAN_ROLE) {
        SolverRecord record = _records[solver];
        SolverStatus status = record.status();
        if (status != SolverStatus.Active) revert InvalidSolverStatus(solver, status);
        _records[solver] = record.withStatus(SolverStatus.Suspended);
        emit SolverStatusChanged(solver, SolverStatus.Suspended);
        _copyFillEligibility(solver, false);
    }

    /**
     * @notice Reinstates a suspended solver whose bond is at least `minBond`.
     * @param solver the solver to reinstate
     */
    function reinstate(address solver) external onlyRole(GUARDIAN_ROLE) {
        SolverRecord record = _records[solver];
        SolverStatus status = record.status();
        if (status != SolverStatus.Suspended) revert InvalidSolverStatus(solver, status);
        uint256 bond = _bonds[solver].amount();
        uint256 minBond_ = _applyDueTerms().minBond;
        if (bond < minBond_) revert BondTooLow(bond, minBond_);
        _records[solver] = record.withStatus(SolverStatus.Active);
        emit SolverStatusChanged(solver, SolverStatus.Active);
        _copyFillEligibility(solver, true);
    }

    /**
     * @notice Sets the per-solver claim rate limit (see {RateLimit} for the burst semantics).
     * @param limit claims per window, 1 to 2^24 - 1
     * @param window seconds, 1 to 2^24 - 1
     */
    function setClaimRateLimit(uint256 limit, uint256 window) external onlyRole(RATE_LIMIT_ADMIN_ROLE) {
        _setClaimRateLimit(limit, window);
    }

    /**
     * @notice Sets the cap on claims a solver may have in flight.
     * @param maxActiveClaims_ 1 to 65,535
     */
    function setMaxActiveClaims(uint256 maxActiveClaims_) external onlyRole(RATE_LIMIT_ADMIN_ROLE) {
        _setMaxActiveClaims(maxActiveClaims_);
    }

    /**
     * @notice Schedules a new minimum bond and unbonding period. While bonds are at stake the
     * change applies only after the current unbonding period plus {MAX_CLAIM_WINDOW}, so a
     * solver that does not accept it can announce its exit, settle its claims and withdraw first;
     * with no bond at stake it applies at once. A new schedule replaces the pending one and
     * restarts its delay.
     * @param minBond_ smallest bond, 1 to 2^128 - 1
     * @param unbondingPeriod_ seconds, at most 2^32 - 1
     */
    function setBondParameters(uint256 minBond_, uint256 unbondingPeriod_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        BondTerms memory terms = _nextTerms();
        _withBondParameters(terms, minBond_, unbondingPeriod_);
        _schedule(terms);
    }

    /**
     * @notice Schedules how much a failed claim costs a solver and who receives it, with the
     * delay of {setBondParameters}.
     * @param slashAmount_ stake tokens taken per failed claim (capped at the solver's bond)
     * @param userShareBps share of each slash credited to the harmed user, the rest to `treasury_`
     * @param treasury_ receives the remainder
     */
    function setSlashing(
        uint256 slashAmount_,
        uint256 userShareBps,
        address treasury_
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        BondTerms memory terms = _nextTerms();
        _withSlashing(terms, slashAmount_, userShareBps, treasury_);
        _schedule(terms);
    }

    /// @notice Drops a scheduled change of the bond terms before it applies.
    function cancelPendingTerms() external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 effectiveAt = _pendingTerms.effectiveAt;
        if (effectiveAt == 0 || block.timestamp >= effectiveAt) revert NoPendingTerms();
        delete _pendingTerms;
        emit PendingTermsCancelled();
    }

    /// @notice Stops registrations, top-ups, claims and fills; exits, withdrawals and the
    /// settlement of lapsed claims stay open.
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @notice Lifts {pause}.
    function unpause() external onlyRole(GUARDIAN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    /// @notice Whether `solver` may claim intents now (active; limits are checked at claim).
    function isAuthorized(address solver) external view returns (bool) {
        return _records[solver].status() == SolverStatus.Active;
    }

    /// @notice Everything the registry records about `solver`.
    function getSolver(address solver) external view returns (SolverInfo memory info) {
        SolverRecord record = _records[solver];
        BondWord bondWord = _bonds[solver];
        info.status = record.status();
        info.bond = bondWord.amount();
        info.unbondingEnds = bondWord.unbondingEnds();
        info.activeClaims = record.activeClaims();
        info.assigned = record.assigned();
        info.completed = record.completed();
        info.failed = record.failed();
        info.successRateBps = _successRate(info.completed, info.failed);
        info.performanceScoreBps = record.score();
        info.filled = _fillsOf(solver);
    }

    /// @notice Completed claims over settled claims, in basis points; 0 before any outcome.
    /// This is the on-chain source of the `solver_success_rate` metric.
    function successRate(address solver) external view returns (uint256) {
        SolverRecord record = _records[solver];
        return _successRate(record.completed(), record.failed());
    }

    /// @notice The EWMA performance score in basis points (see the contract notes); 0 for an
    /// unknown solver. This is the on-chain source of the `solver_performance_score` metric.
    function performanceScore(address solver) external view returns (uint256) {
        return _records[solver].score();
    }

    /**
     * @notice What remains of `solver`'s claim rate limit.
     * @return remaining claims admitted now
     * @return retryAfter seconds until the next claim is admitted (0 when `remaining > 0`)
     * @return fullIn seconds until the bucket is full again
     */
    function claimRateLimitStatus(
        address solver
    ) external view returns (uint256 remaining, uint256 retryAfter, uint256 fullIn) {
        return _records[solver].claimBucketStatus(_claimLimit, _claimWindow);
    }

    /// @notice The wired verifier.
    function verifier() external view returns (address) {
        return _verifier;
    }

    /// @notice The claim rate limit: `limit` claims per `window` seconds.
    function claimRateLimit() external view returns (uint256 limit, uint256 window) {
        return (_claimLimit, _claimWindow);
    }

    /// @notice The cap on claims in flight per solver.
    function maxActiveClaims() external view returns (uint256) {
        return _maxActiveClaims;
    }

    /// @notice The minimum bond and the unbonding period in seconds, in force now.
    function bondParameters() external view returns (uint256 minBond, uint256 unbondingPeriod) {
        BondTerms memory terms = _termsInForce();
        return (terms.minBond, terms.unbondingPeriod);
    }

    /// @notice The slash per failed claim, the harmed user's share and the treasury, in force now.
    function slashing() external view returns (uint256 slashAmount, uint256 userShareBps, address treasury) {
        BondTerms memory terms = _termsInForce();
        return (terms.slashAmount, terms.userShareBps, terms.treasury);
    }

    /// @notice A scheduled change of the bond terms that has not applied yet (`effectiveAt` 0
    /// when there is none).
    function pendingTerms() external view returns (BondTerms memory terms) {
        terms = _pendingTerms;
        if (block.timestamp >= terms.effectiveAt) delete terms;
    }

    // ---------------------------------------------------------------- internals

    /// @dev The verifier hooks' checks on the word of `_verifier` (see the layout above), read
    /// once: the caller must be the verifier and, when `whenNotPaused`, the registry not paused
    /// (in that order). Returns the claim rate limit and the concurrency cap from the same word.
    function _hookConfig(
        bool whenNotPaused
    ) private view returns (uint256 claimLimit, uint256 claimWindow, uint256 maxActive) {
        uint256 word;
        address verifier_;
        bool paused_;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(_verifier.slot)
            verifier_ := and(shr(mul(8, _verifier.offset), word), 0xffffffffffffffffffffffffffffffffffffffff)
            // Pausable._paused is the byte at offset 0 of this slot (see the layout above).
            paused_ := and(word, 0xff)
            claimLimit := and(shr(mul(8, _claimLimit.offset), word), 0xffffff)
            claimWindow := and(shr(mul(8, _claimWindow.offset), word), 0xffffff)
            maxActive := and(shr(mul(8, _maxActiveClaims.offset), word), 0xffff)
        }
        if (msg.sender != verifier_) revert NotVerifier(msg.sender);
        if (whenNotPaused && paused_) revert EnforcedPause();
    }

    /// @dev Copies whether `solver` is Active to the verifier, which a fill reads instead of
    /// calling the registry ({IIntentVerifier-setFillEligibility}). Called on every change in
    /// and out of Active; before the verifier is wired there is nothing to copy to, and
    /// {syncFillEligibility} copies it later. Called without the ABI coder's code-size check:
    /// only the verifier's own revert must stop the change.
    function _copyFillEligibility(address solver, bool eligible) private {
        address verifier_ = _verifier;
        if (verifier_ == address(0)) return;
        bytes4 selector = IIntentVerifier.setFillEligibility.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, selector)
            mstore(add(m, 0x04), solver)
            mstore(add(m, 0x24), eligible)
            if iszero(call(gas(), verifier_, 0, m, 0x44, 0x00, 0x00)) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
        }
    }

    /// @dev The solver's one-transaction fills, which the verifier counts; 0 while no verifier
    /// is wired (or the wired address answers nothing).
    function _fillsOf(address solver) private view returns (uint256 fills) {
        address verifier_ = _verifier;
        if (verifier_ == address(0)) return 0;
        bytes4 selector = IIntentVerifier.fillsOf.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, selector)
            mstore(0x04, solver)
            // Yul evaluates arguments right to left: the call first, then the size it returned.
            let ok := staticcall(gas(), verifier_, 0x00, 0x24, 0x00, 0x20)
            if and(ok, eq(returndatasize(), 0x20)) {
                fills := mload(0x00)
            }
        }
    }

    function _pull(uint256 amount) private returns (uint256 received) {
        uint256 before = stakeToken.balanceOf(address(this));
        stakeToken.safeTransferFrom(msg.sender, address(this), amount);
        received = stakeToken.balanceOf(address(this)) - before;
    }

    /// @dev The terms in force now, a due pending change included.
    function _termsInForce() private view returns (BondTerms memory terms) {
        uint256 effectiveAt = _pendingTerms.effectiveAt;
        return effectiveAt != 0 && block.timestamp >= effectiveAt ? _pendingTerms : _terms;
    }

    /// @dev The terms in force now; a due pending change is written in place first.
    function _applyDueTerms() private returns (BondTerms memory terms) {
        uint256 effectiveAt = _pendingTerms.effectiveAt;
        if (effectiveAt == 0 || block.timestamp < effectiveAt) return _terms;
        terms = _pendingTerms;
        _terms = terms;
        delete _pendingTerms;
        emit BondTermsApplied(terms);
    }

    /// @dev What a new schedule starts from: the pending change if there is one, else the terms
    /// in force.
    function _nextTerms() private returns (BondTerms memory terms) {
        terms = _applyDueTerms();
        if (_pendingTerms.effectiveAt != 0) terms = _pendingTerms;
    }

    /// @dev Applies `terms` at once while no bond is at stake, else after the delay.
    function _schedule(BondTerms memory terms) private {
        if (totalBonded == 0) {
            terms.effectiveAt = uint40(block.timestamp);
            _terms = terms;
            delete _pendingTerms;
        } else {
            terms.effectiveAt = uint40(block.timestamp + _terms.unbondingPeriod + MAX_CLAIM_WINDOW);
            _pendingTerms = terms;
        }
        emit BondTermsScheduled(terms);
    }

    function _credit(address account, uint256 amount, uint256 unlocksAt) private {
        // Credits are slashes of 128-bit bonds; their sum per account fits 128 bits well before
        // the stake token's supply does not.
        CreditWord credit = _credits[account].plus(amount, unlocksAt);
        _credits[account] = credit;
        uint256 total = credit.amount();
        totalCredited += amount;
        emit SlashCredited(account, amount, total, unlocksAt);
    }

    function _successRate(uint256 completed, uint256 failed) private pure returns (uint256) {
        uint256 settled = completed + failed;
        return settled == 0 ? 0 : (completed * BPS) / settled;
    }

    function _setClaimRateLimit(uint256 limit, uint256 window) private {
        RateLimit.validate(limit, window);
        _claimLimit = uint24(limit);
        _claimWindow = uint24(window);
        emit ClaimRateLimitSet(limit, window);
    }

    function _setMaxActiveClaims(uint256 maxActiveClaims_) private {
        if (maxActiveClaims_ == 0 || maxActiveClaims_ > type(uint16).max) {
            revert InvalidMaxActiveClaims(maxActiveClaims_);
        }
        _maxActiveClaims = uint16(maxActiveClaims_);
        emit MaxActiveClaimsSet(maxActiveClaims_);
    }

    function _withBondParameters(BondTerms memory terms, uint256 minBond_, uint256 unbondingPeriod_) private pure {
        if (minBond_ == 0 || minBond_ > type(uint128).max || unbondingPeriod_ > type(uint32).max) {
            revert InvalidBondParameters(minBond_, unbondingPeriod_);
        }
        terms.minBond = uint128(minBond_);
        terms.unbondingPeriod = uint32(unbondingPeriod_);
    }

    function _withSlashing(
        BondTerms memory terms,
        uint256 slashAmount_,
        uint256 userShareBps,
        address treasury_
    ) private pure {
        if (slashAmount_ > type(uint128).max || userShareBps > BPS) revert InvalidSlashing(slashAmount_, userShareBps);
        if (treasury_ == address(0)) revert ZeroAddress();
        terms.slashAmount = uint128(slashAmount_);
        terms.userShareBps = uint16(userShareBps);
        terms.treasury = treasury_;
    }
}
