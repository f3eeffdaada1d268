// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @title ISolverRegistry
 * @notice The solver registry's types, events, errors and external functions. Tests, specs and
 * off-chain code build against this interface, so they compile without the registry itself.
 */
interface ISolverRegistry {
    /// @notice Lifecycle of a solver.
    enum SolverStatus {
        None,
        Active,
        Exiting,
        Suspended,
        Exited
    }

    /// @notice Everything the registry knows about a solver, for views and tooling.
    struct SolverInfo {
        SolverStatus status;
        uint256 bond;
        uint256 unbondingEnds;
        uint256 activeClaims;
        uint256 assigned;
        uint256 completed;
        uint256 failed;
        uint256 successRateBps;
        uint256 performanceScoreBps;
        /// One-transaction fills, as the verifier counts them ({IIntentVerifier-fillsOf}).
        uint256 filled;
    }

    /**
     * @notice What can move a bond: the minimum bond, the unbonding period and the slash terms.
     * @param minBond smallest bond an active solver may hold
     * @param slashAmount stake tokens taken per failed claim (capped at the bond)
     * @param treasury receives the part of each slash not credited to the harmed user
     * @param unbondingPeriod seconds between announcing an exit and withdrawing; also how long a
     * slash credit stays locked
     * @param userShareBps share of each slash credited to the harmed user
     * @param effectiveAt when the terms apply (for a scheduled change) or applied
     */
    struct BondTerms {
        uint128 minBond;
        uint128 slashAmount;
        address treasury;
        uint32 unbondingPeriod;
        uint16 userShareBps;
        uint40 effectiveAt;
    }

    /// @notice A solver registered with `bond`.
    event SolverRegistered(address indexed solver, uint256 bond);
    /// @notice A solver added `amount` to its bond.
    event BondToppedUp(address indexed solver, uint256 amount, uint256 bond);
    /// @notice A solver announced its exit; it can withdraw from `unbondingEnds`.
    event ExitAnnounced(address indexed solver, uint256 unbondingEnds);
    /// @notice A solver withdrew its bond and left.
    event SolverExited(address indexed solver, uint256 amount);
    /// @notice A solver's bond was slashed after a failed claim.
    event SolverSlashed(
        address indexed solver,
        address indexed harmedUser,
        uint256 toUser,
        uint256 toTreasury,
        uint256 remainingBond
    );
    /// @notice A solver's status changed by an admin action or by a slash.
    event SolverStatusChanged(address indexed solver, SolverStatus status);
    /// @notice The verifier's report of a claim outcome was folded into the track record.
    event SolverOutcomeRecorded(address indexed solver, bool success, uint256 performanceScoreBps);
    /// @notice A claim of `solver` ended without an outcome (the user could not pay, or a pause
    /// overlapped the claim window).
    event SolverClaimReleased(address indexed solver, uint256 activeClaims);
    /// @notice The verifier allowed to drive the registry changed.
    event VerifierSet(address indexed verifier);
    /// @notice The per-solver claim rate limit changed.
    event ClaimRateLimitSet(uint256 limit, uint256 window);
    /// @notice The cap on claims in flight per solver changed.
    event MaxActiveClaimsSet(uint256 maxActiveClaims);
    /// @notice New bond terms were scheduled; they apply from `terms.effectiveAt` (at once when no
    /// bond was at stake).
    event BondTermsScheduled(BondTerms terms);
    /// @notice Scheduled bond terms, due, were written in place of the old ones.
    event BondTermsApplied(BondTerms terms);
    /// @notice The scheduled change of the bond terms was dropped.
    event PendingTermsCancelled();
    /// @notice `amount` of a slash was credited to `account`, whose credits now total `total` and
    /// unlock at `unlocksAt`.
    event SlashCredited(address indexed account, uint256 amount, uint256 total, uint256 unlocksAt);
    /// @notice `account` withdrew `amount` of slash credits.
    event CreditWithdrawn(address indexed account, uint256 amount);

    /// @notice The caller is not the wired verifier.
    error NotVerifier(address caller);
    /// @notice The registry is already wired to `verifier`.
    error VerifierAlreadySet(address verifier);
    /// @dev The call needs the verifier to be wired ({setVerifier}) first.
    error VerifierNotSet();
    /// @notice The bond received is below the minimum.
    error BondTooLow(uint256 bond, uint256 minBond);
    /// @notice The action is not allowed while the solver is in `status`.
    error InvalidSolverStatus(address solver, SolverStatus status);
    /// @notice The solver cannot withdraw before `unbondingEnds`.
    error StillUnbonding(address solver, uint256 unbondingEnds);
    /// @notice The solver still has `activeClaims` claims in flight.
    error ClaimsInFlight(address solver, uint256 activeClaims);
    /// @notice The solver already has the maximum number of claims in flight.
    error ConcurrencyLimitReached(address solver, uint256 maxActiveClaims);
    /// @notice A zero address was given where one is required.
    error ZeroAddress();
    /// @notice A bond amount of zero, or one that does not fit 128 bits.
    error InvalidAmount(uint256 amount);
    /// @notice A cap on claims in flight outside 1 to 65,535.
    error InvalidMaxActiveClaims(uint256 maxActiveClaims);
    /// @notice A minimum bond outside 1 to 2^128 - 1, or an unbonding period above 2^32 - 1.
    error InvalidBondParameters(uint256 minBond, uint256 unbondingPeriod);
    /// @notice A slash above 2^128 - 1, or a user share above 10,000 bps.
    error InvalidSlashing(uint256 slashAmount, uint256 userShareBps);
    /// @notice `account` has no slash credit to withdraw.
    error NoCredit(address account);
    /// @notice `account`'s slash credits unlock at `unlocksAt`.
    error CreditLocked(address account, uint256 unlocksAt);
    /// @notice No change of the bond terms is waiting to apply.
    error NoPendingTerms();

    /// @notice Pauses and unpauses the registry, suspends solvers (the role's id).
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice Sets the per-solver claim rate limit and concurrency cap (the role's id).
    function RATE_LIMIT_ADMIN_ROLE() external view returns (bytes32);

    /// @notice ERC-20 token bonds are held in.
    function stakeToken() external view returns (IERC20);

    /// @notice Longest claim window the verifier allows, part of the delay of a bond-terms change.
    function MAX_CLAIM_WINDOW() external view returns (uint256);

    /// @notice Sum of all bonds.
    function totalBonded() external view returns (uint256);

    /// @notice Sum of all slash credits not yet withdrawn; the registry's stake-token balance never
    /// drops below `totalBonded + totalCredited`.
    function totalCredited() external view returns (uint256);

    /// @notice Registers the caller as a solver with a bond of `amount` stake tokens.
    function register(uint256 amount) external;
    /// @notice Adds `amount` stake tokens to the caller's bond.
    function topUp(uint256 amount) external;
    /// @notice Starts the caller's exit: it takes no new claims and may withdraw after the
    /// unbonding period, once its claims in flight are settled. The bond stays slashable. Open
    /// while the registry is paused.
    function announceExit() external;
    /// @notice Withdraws the caller's whole bond after the unbonding period and marks it exited.
    /// Open while the registry is paused.
    function withdraw() external;
    /// @notice Wires the verifier allowed to record claims, outcomes and slashes. Once only: re-
    /// wiring would strand the old verifier's claims in flight (they could neither be settled nor
    /// failed, and their solvers could never withdraw). A new verifier needs a new registry.
    function setVerifier(address verifier_) external;
    /// @notice Suspends an active solver: it takes no new claims until reinstated.
    function suspend(address solver) external;
    /// @notice Reinstates a suspended solver whose bond is at least `minBond`.
    function reinstate(address solver) external;
    /// @notice Sets the per-solver claim rate limit (see {RateLimit} for the burst semantics).
    function setClaimRateLimit(uint256 limit, uint256 window) external;
    /// @notice Sets the cap on claims a solver may have in flight.
    function setMaxActiveClaims(uint256 maxActiveClaims_) external;
    /// @notice Schedules a new minimum bond and unbonding period: while bonds are at stake they
    /// apply after the current unbonding period plus {MAX_CLAIM_WINDOW}, else at once.
    function setBondParameters(uint256 minBond_, uint256 unbondingPeriod_) external;
    /// @notice Schedules how much a failed claim costs a solver and who receives it, with the
    /// delay of {setBondParameters}.
    function setSlashing(uint256 slashAmount_, uint256 userShareBps, address treasury_) external;
    /// @notice Drops a scheduled change of the bond terms before it applies.
    function cancelPendingTerms() external;
    /// @notice Withdraws the caller's slash credits once they have unlocked (one unbonding
    /// period after the last slash credited to it).
    function withdrawCredit() external;
    /// @notice The slash credits of `account` and when they unlock.
    function creditOf(address account) external view returns (uint256 amount, uint256 unlocksAt);
    /// @notice A scheduled change of the bond terms that has not applied yet (`effectiveAt` 0
    /// when there is none).
    function pendingTerms() external view returns (BondTerms memory terms);
    /// @notice Stops registrations, top-ups, claims and fills; exits, withdrawals and the
    /// settlement of lapsed claims stay open.
    function pause() external;
    /// @notice Lifts {pause}.
    function unpause() external;
    /// @notice Whether `solver` may claim intents now (active; limits are checked at claim).
    function isAuthorized(address solver) external view returns (bool);
    /// @notice Everything the registry records about `solver`.
    function getSolver(address solver) external view returns (SolverInfo memory info);
    /// @notice Completed claims over settled claims, in basis points; 0 before any outcome. This is
    /// the on-chain source of the `solver_success_rate` metric.
    function successRate(address solver) external view returns (uint256);
    /// @notice The EWMA performance score in basis points (see the contract notes); 0 for an
    /// unknown solver. This is the on-chain source of the `solver_performance_score` metric.
    function performanceScore(address solver) external view returns (uint256);
    /// @notice What remains of `solver`'s claim rate limit.
    function claimRateLimitStatus(
        address solver
    ) external view returns (uint256 remaining, uint256 retryAfter, uint256 fullIn);
    /// @notice The wired verifier.
    function verifier() external view returns (address);
    /// @notice The claim rate limit: `limit` claims per `window` seconds.
    function claimRateLimit() external view returns (uint256 limit, uint256 window);
    /// @notice The cap on claims in flight per solver.
    function maxActiveClaims() external view returns (uint256);
    /// @notice The minimum bond and the unbonding period in seconds, in force now.
    function bondParameters() external view returns (uint256 minBond, uint256 unbondingPeriod);
    /// @notice The slash per failed claim, the harmed user's share and the treasury, in force now.
    function slashing() external view returns (uint256 slashAmount, uint256 userShareBps, address treasury);

    // Verifier hooks: each may only be called by the verifier the registry was wired to.

    /// @notice Admits a claim by `solver`: it must be active, under its concurrency limit and
    /// its claim rate limit. Counts the assignment.
    function recordClaim(address solver) external;

    /// @notice Records a completed claim: frees its concurrency slot and, when `scored` (the
    /// intent was not the solver's own), counts the completion and folds `latencyScoreBps` into
    /// the performance score.
    function recordSuccess(address solver, uint256 latencyScoreBps, bool scored) external;

    /// @notice Frees the concurrency slot of a claim that ended through no fault of the solver
    /// (the user could not pay, or a pause overlapped the claim window); counts neither a
    /// completion nor a failure.
    function recordRelease(address solver) external;

    /// @notice Records a failed claim and slashes the solver's bond, crediting `harmedUser` (and
    /// the treasury, as configured); the credits unlock after the unbonding period.
    /// @return slashed the amount taken from the bond
    function recordFailure(address solver, address harmedUser) external returns (uint256 slashed);
}
