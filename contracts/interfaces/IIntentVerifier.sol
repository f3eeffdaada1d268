// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIntentValidator} from "./IIntentValidator.sol";
import {ISolverRegistry} from "./ISolverRegistry.sol";
import {
    CrossChainRef,
    Fulfillment,
    Intent,
    IntentRecord,
    IntentStatus,
    SettlementTerms
} from "../libraries/IntentTypes.sol";

/**
 * @title IIntentVerifier
 * @notice The intent verifier's events, errors and external functions (the intent types live in
 * {IntentTypes}). Tests, specs and off-chain code build against this interface, so they compile
 * without the verifier itself.
 */
interface IIntentVerifier {
    /// @notice An intent entered the system as Pending.
    event IntentSubmitted(
        bytes32 indexed id,
        address indexed user,
        uint8 indexed intentType,
        uint64 nonce,
        uint40 expiry,
        bytes params
    );
    /// @notice A solver claimed an intent; it must fulfil it by `claimDeadline`.
    event IntentClaimed(bytes32 indexed id, address indexed solver, uint40 claimDeadline);
    /// @notice A solver fulfilled an intent: the execution record. `received` is what the
    /// recipient's balance gained; gas, cost and cross-chain references are as the solver reported.
    event IntentCompleted(
        bytes32 indexed id,
        address indexed user,
        address indexed solver,
        uint256 received,
        uint40 gasUsed,
        uint128 totalCost,
        CrossChainRef[] refs
    );
    /// @notice A solver settled a signed intent in one transaction ({IIntentVerifier-fill}): the
    /// intent (its params as signed) and its execution record. No intent record is stored.
    event IntentFilled(
        bytes32 indexed id,
        address indexed user,
        address indexed solver,
        uint8 intentType,
        uint64 nonce,
        bytes params,
        uint256 received
    );
    /// @notice A claim passed its deadline unfulfilled; the intent went back to Pending when
    /// `requeued`, else to Failed.
    event ClaimFailed(bytes32 indexed id, address indexed user, address indexed solver, bool requeued);
    /// @notice The user cancelled a pending intent.
    event IntentCancelled(bytes32 indexed id, address indexed user);
    /// @notice A claim ended through no fault of its solver (the user could no longer pay, or a
    /// pause overlapped the claim window): no slash, no outcome counted; the intent is now
    /// `status`.
    event ClaimReleased(bytes32 indexed id, address indexed user, address indexed solver, IntentStatus status);
    /// @notice A pending intent passed its expiry.
    event IntentExpired(bytes32 indexed id, address indexed user);
    /// @notice A user skipped nonces up to `nextNonce`, invalidating intents signed with them.
    event NoncesInvalidated(address indexed user, uint64 nextNonce);
    /// @notice `intentType` was enabled or disabled.
    event IntentTypeEnabled(uint8 indexed intentType, bool enabled);
    /// @notice The pluggable validator of `intentType` changed (zero removes it).
    event ValidatorSet(uint8 indexed intentType, address validator);
    /// @notice The global rate limit changed.
    event GlobalRateLimitSet(uint256 limit, uint256 window);
    /// @notice The per-user rate limit changed.
    event UserRateLimitSet(uint256 limit, uint256 window);
    /// @notice `account` was exempted from, or made subject to, rate limits when submitting.
    event RateLimitExemptionSet(address indexed account, bool exempt);
    /// @notice `user` was blocked or unblocked.
    event UserBlockedSet(address indexed user, bool blocked);
    /// @notice The longest intent lifetime or the claim window changed.
    event TimingsSet(uint256 maxTtl, uint256 claimTtl);
    /// @notice The registry changed the verifier's copy of whether `solver` is Active, which is
    /// what {IIntentVerifier-fill} checks.
    event FillEligibilitySet(address indexed solver, bool eligible);

    // Stage 1: structure.
    /// @notice The intent names no user.
    error ZeroUser();
    /// @notice The intent's expiry is not in the future.
    error ExpiryInPast(uint256 expiry);
    /// @notice The intent's expiry is beyond now + the maximum lifetime.
    error ExpiryTooFar(uint256 expiry, uint256 maxExpiry);
    /// @notice `intentType` is not a shipped type, or it is disabled.
    error UnknownIntentType(uint8 intentType);
    // Stage 3: security.
    /// @notice The direct submitter is not the intent's user.
    error NotIntentUser(address caller, address user);
    /// @notice The signature does not come from the intent's user (EOA or ERC-1271 wallet).
    error InvalidSignature(address user);
    /// @notice The intent's nonce is not the user's next nonce (or the user retired every nonce).
    error InvalidNonce(address user, uint256 expected, uint256 given);
    /// @notice The user is blocked.
    error UserBlocked(address user);
    // Lifecycle.
    /// @notice The intent is not in a status that allows this action.
    error InvalidStatus(bytes32 id, IntentStatus status);
    /// @notice The intent expired at `expiry`.
    error IntentHasExpired(bytes32 id, uint256 expiry);
    /// @notice The intent does not expire before `expiry`.
    error IntentNotExpired(bytes32 id, uint256 expiry);
    /// @notice Only the solver that claimed the intent may fulfil it.
    error NotAssignedSolver(bytes32 id, address caller, address solver);
    /// @notice The claim deadline passed.
    error ClaimDeadlinePassed(bytes32 id, uint256 claimDeadline);
    /// @notice The claim deadline has not passed yet.
    error ClaimStillValid(bytes32 id, uint256 claimDeadline);
    /// @notice The recipient received `received`, less than the `required` amount.
    error OutcomeNotMet(uint256 received, uint256 required);
    /// @notice The settlement failed on the user's side: the user's own transfer, or a recipient
    /// that refuses tokens the solver holds and has approved. {fulfill} turns it into a release.
    error UserSideFailure();
    /// @notice The solver lacks the balance or the allowance to deliver `amount` of `token`.
    error SolverCannotDeliver(address token, uint256 amount);
    /// @notice The intent's last fulfilment failed on the user's side; it can be claimed again
    /// after `until`.
    error ClaimCoolingDown(bytes32 id, uint256 until);
    /// @notice Only the verifier itself may call this.
    error NotSelf(address caller);
    /// @notice More than {MAX_CROSS_CHAIN_REFS} cross-chain references.
    error TooManyCrossChainRefs(uint256 count);
    /// @notice The nonce can only move forward.
    error NonceNotIncreasing(uint256 current, uint256 given);
    // Configuration.
    /// @notice The validator reports another intent type than the one it is set for.
    error ValidatorTypeMismatch(uint8 intentType, uint8 validatorType);
    /// @notice A timing parameter is out of range.
    error InvalidTiming(uint256 maxTtl, uint256 claimTtl);
    /// @notice A zero address was given where one is required.
    error ZeroAddress();
    /// @notice A transfer to its own user would move nothing and could never be fulfilled.
    error RecipientIsUser(address recipient);
    /// @dev Only the registry writes a solver's fill eligibility.
    error NotRegistry(address caller);
    /// @dev The registry says the solver is Active, but it registered before the registry was
    /// wired to this verifier: `registry.syncFillEligibility(solver)` copies its status over.
    error FillEligibilityNotSynced(address solver);

    /// @notice The solver registry this verifier drives.
    function registry() external view returns (ISolverRegistry);

    /// @notice Submits an intent as its user.
    function submit(Intent calldata intent) external returns (bytes32 id);

    /// @notice Submits an intent on its user's behalf, with the user's EIP-712 signature (or an
    /// ERC-1271 contract wallet's approval). Anyone may relay; when the user calls it, the
    /// signature is not needed and not checked.
    function submitWithSignature(Intent calldata intent, bytes calldata signature) external returns (bytes32 id);

    /// @notice Skips the caller's nonces up to `newNextNonce`, invalidating every intent signed
    /// with a skipped nonce and not yet submitted. `2^64 - 1` retires the account's nonces for
    /// good: no intent of the caller is accepted afterwards.
    function invalidateNonces(uint64 newNextNonce) external;

    /// @notice Claims a pending intent for the caller, a registered solver. The claim must be
    /// fulfilled by the returned deadline (the earlier of now + claim window and the expiry). An
    /// intent requeued after a user-side failure cannot be claimed before that claim's deadline.
    function claim(bytes32 id) external returns (uint40 claimDeadline);

    /// @notice Fulfils a claimed intent: the verifier itself moves the tokens and checks what the
    /// recipient received (see {Settlement}). A failure on the user's side releases the claim
    /// without a slash: the intent is requeued once, after a cool-down, then Cancelled.
    function fulfill(Intent calldata intent, Fulfillment calldata fulfillment) external;

    /// @notice Settles a user's signed intent in one transaction by the caller, an active bonded
    /// solver: same validation as intake, the user's nonce spent, the outcome checked as in
    /// {fulfill}; no rate limits, no stored record. Counted in {fillsOf}.
    function fill(
        Intent calldata intent,
        bytes calldata signature,
        uint256 amountOut
    ) external returns (bytes32 id, uint256 received);

    /// @notice The settlement step of {fulfill}, in a call of its own so that it can be undone as a
    /// whole. Only the verifier itself may call it.
    function settleFor(
        SettlementTerms calldata terms,
        address solver,
        uint256 amountOut
    ) external returns (uint256 received);

    /// @notice Ends a claim whose deadline passed unfulfilled. Anyone may call it. The solver is
    /// slashed in favour of the user; the intent returns to Pending if it has not expired, else it
    /// fails for good. A claim that any pause overlapped, between its claim and its deadline, is
    /// released instead: no slash, no failure counted ({ClaimReleased}).
    function fail(Intent calldata intent) external;

    /// @notice Cancels a pending intent that has not expired. Only its user may, and it works while
    /// paused.
    function cancel(Intent calldata intent) external;

    /// @notice Marks a pending intent whose expiry has passed as Expired. Anyone may call it; views
    /// already report such an intent as Expired.
    function expire(Intent calldata intent) external;

    /// @notice Enables or disables a shipped intent type for new submissions. Intents already
    /// submitted run their course.
    function setIntentTypeEnabled(uint8 intentType, bool enabled) external;

    /// @notice Plugs a validator into a shipped intent type, on top of the built-in rules; the zero
    /// address removes it.
    function setValidator(uint8 intentType, IIntentValidator validator) external;

    /// @notice Sets the business rules of `token` for `intentType`: whether intents may use it and,
    /// for the token a user gives, the bounds on the amount.
    function setTokenPolicy(
        uint8 intentType,
        address token,
        bool allowed,
        uint256 minAmount,
        uint256 maxAmount
    ) external;

    /// @notice Sets the system-wide submission rate limit (see {RateLimit} for the burst
    /// semantics).
    function setGlobalRateLimit(uint256 limit, uint256 window) external;

    /// @notice Sets the per-user submission rate limit (see {RateLimit} for the burst semantics).
    function setUserRateLimit(uint256 limit, uint256 window) external;

    /// @notice Exempts a trusted relayer from rate limits: intents it submits skip both the user's
    /// and the global bucket (the relayer is trusted to limit its own traffic).
    function setRateLimitExempt(address account, bool exempt) external;

    /// @notice Blocks or unblocks a user: a blocked user's intents are rejected at intake.
    function setUserBlocked(address user, bool blocked) external;

    /// @notice Sets the longest lifetime an intent may ask for and the claim window.
    function setTimings(uint256 maxTtl, uint256 claimTtl) external;

    /// @notice Sets the verifier's copy of whether `solver` is Active in the registry. Only the
    /// registry calls it, on every change of a solver's status, so that a fill reads one word of
    /// this contract instead of calling the registry.
    function setFillEligibility(address solver, bool eligible) external;

    /// @notice Stops submissions, fills, claims, fulfilments and failures. Cancellation still
    /// works. Claims whose window a pause overlaps are released rather than slashed (see {fail}).
    function pause() external;

    /// @notice Lifts {pause}.
    function unpause() external;

    /// @notice How many pauses there have been.
    function pauseCount() external view returns (uint256);

    /// @notice When pause number `index` (from 0) started and ended (0 while it lasts).
    function pauseAt(uint256 index) external view returns (uint256 pausedAt, uint256 unpausedAt);

    /// @notice When the last pause started and ended (zero before the first).
    function lastPause() external view returns (uint256 pausedAt, uint256 unpausedAt);

    /// @notice The intent id: the EIP-712 digest of `intent` under this verifier's domain (name
    /// "IntentKit", version "1", this chain, this contract), so it never repeats across chains or
    /// verifiers. It is also what the user signs.
    function hashIntent(Intent calldata intent) external view returns (bytes32);

    /// @notice The stored record of intent `id` (status None when unknown).
    function getIntent(bytes32 id) external view returns (IntentRecord memory info);

    /// @notice The authoritative status of intent `id`: the stored one, except that a pending
    /// intent past its expiry reads as Expired before anyone calls {expire}.
    function statusOf(bytes32 id) external view returns (IntentStatus status);

    /// @notice The nonce `user`'s next intent must carry.
    function nextNonce(address user) external view returns (uint64);

    /// @notice Whether `user` is blocked.
    function isBlocked(address user) external view returns (bool);

    /// @notice Whether `account` is exempt from rate limits when submitting.
    function isRateLimitExempt(address account) external view returns (bool);

    /// @notice Whether `solver` may fill: the registry's Active status, as last copied here.
    function isFillEligible(address solver) external view returns (bool);

    /// @notice One-transaction fills `solver` has made.
    function fillsOf(address solver) external view returns (uint256);

    /// @notice The pluggable validator of `intentType` (zero when none is plugged).
    function validatorOf(uint8 intentType) external view returns (IIntentValidator);

    /// @notice Whether new intents of `intentType` are accepted.
    function isIntentTypeEnabled(uint8 intentType) external view returns (bool);

    /// @notice The configured limits: `limit` intents per `window` seconds, global and per user.
    function rateLimits()
        external
        view
        returns (uint256 globalLimit, uint256 globalWindow, uint256 userLimit, uint256 userWindow);

    /// @notice The longest intent lifetime and the claim window, in seconds.
    function timings() external view returns (uint256 maxTtl, uint256 claimTtl);

    /// @notice What remains of `user`'s and the global submission buckets, and when they refill.
    function rateLimitStatus(
        address user
    )
        external
        view
        returns (
            uint256 userRemaining,
            uint256 userRetryAfter,
            uint256 userFullIn,
            uint256 globalRemaining,
            uint256 globalRetryAfter,
            uint256 globalFullIn
        );

    /// @notice Bucket id the global rate limit reports in `RateLimited`.
    function globalBucketId() external pure returns (bytes32);

    /// @notice Bucket id `user`'s rate limit reports in `RateLimited`.
    function userBucketId(address user) external pure returns (bytes32);

    /// @notice The EIP-712 domain separator intents are signed under.
    function domainSeparator() external view returns (bytes32);
}
