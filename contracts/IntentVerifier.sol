// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IIntentValidator} from "./interfaces/IIntentValidator.sol";
import {IIntentVerifier} from "./interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "./interfaces/ISolverRegistry.sol";
import {AccountWord} from "./libraries/AccountWord.sol";
import {ConfigWord} from "./libraries/ConfigWord.sol";
import {IntentSlot, IntentSlotLibrary} from "./libraries/IntentSlot.sol";
import {Outcome} from "./libraries/Outcome.sol";
import {RateLimit} from "./libraries/RateLimit.sol";
import {Settlement} from "./libraries/Settlement.sol";
import {SwapRules} from "./validation/SwapRules.sol";
import {TokenPolicy} from "./validation/TokenPolicy.sol";
import {TransferRules} from "./validation/TransferRules.sol";
import {
    Fulfillment,
    INTENT_TYPE_SWAP,
    INTENT_TYPE_TRANSFER,
    Intent,
    IntentRecord,
    IntentStatus,
    SettlementTerms
} from "./libraries/IntentTypes.sol";

/**
 * @title IntentVerifier
 * @notice Intake, validation, lifecycle and settlement of intents; the authoritative on-chain
 * status of every intent.
 *
 * Lifecycle: Pending -> Executing (a registered solver claims it, with a claim deadline) ->
 * Completed. Executing -> Pending again when the claim deadline passes before the intent expires
 * (the solver is slashed), or -> Failed when it passes at or after expiry; Executing ->
 * Cancelled, with no slash, when the fulfilment finds the user can no longer pay. Pending ->
 * Cancelled (by the user) or Expired. Completed, Failed, Expired and Cancelled never change again.
 *
 * Validation runs in four stages, each with its own custom errors: structure (here) ->
 * type-specific (the built-in {TransferRules} or {SwapRules}, then the type's pluggable
 * {IIntentValidator} if one is set) -> security (signature, nonce, blocked users, EIP-712 domain
 * binding to this chain and this verifier) -> business rules (the type's {TokenPolicy}, then the
 * pluggable validator's rules). Rate limits (per user and global) are checked last, so a
 * rejected intent never spends quota.
 *
 * Storage holds one word per intent, keyed by the intent id (its EIP-712 digest); the intent
 * itself travels in calldata and in {IntentSubmitted}, and functions that settle or end an
 * intent take it back and re-hash it. The full execution record (solver, reported gas and cost,
 * cross-chain references, amount received) is the {IntentCompleted} event; the record word keeps
 * the solver and the reported gas. A separate storage slot per execution would cost 22,100 gas
 * per fulfilment for data no contract reads. The user keeps custody of the funds until the
 * verifier settles the fulfilment itself and checks the outcome by balance deltas.
 */
contract IntentVerifier is
    IIntentVerifier,
    EIP712,
    TokenPolicy,
    AccessControlDefaultAdminRules,
    ReentrancyGuardTransient,
    Pausable
{
    /// @notice Pauses and unpauses intake and execution; blocks and unblocks users.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Enables intent types and plugs their validators.
    bytes32 public constant VALIDATOR_ADMIN_ROLE = keccak256("VALIDATOR_ADMIN_ROLE");
    /// @notice Sets the token policy (allowed tokens, amount bounds) of each intent type.
    bytes32 public constant POLICY_ADMIN_ROLE = keccak256("POLICY_ADMIN_ROLE");
    /// @notice Sets rate limits and exempts trusted relayers.
    bytes32 public constant RATE_LIMIT_ADMIN_ROLE = keccak256("RATE_LIMIT_ADMIN_ROLE");

    /// @notice EIP-712 type of {Intent}; `params` is hashed as bytes.
    bytes32 public constant INTENT_TYPEHASH = keccak256(
        "Intent(address user,uint8 intentType,uint64 nonce,uint40 expiry,bytes params)"
    );

    /// @notice Most cross-chain references one fulfilment may record.
    uint256 public constant MAX_CROSS_CHAIN_REFS = 4;

    // Intent records: one word each, an {IntentSlot} (its layout and its reads there).

    // Accounts: one {AccountWord} each (its layout and its reads there).
    uint256 private constant RETIRED_NONCE = type(uint64).max;

    /// @notice The registry whose solvers may claim intents.
    ISolverRegistry public immutable registry;

    // Type flags: bit t says type t is enabled, bit 8 + t that a pluggable validator is set.
    uint256 private constant VALIDATOR_FLAG_SHIFT = 8;

    // Packed on purpose into the slot that Pausable._paused starts (Pausable is the last base
    // with storage): every submission reads paused, both rate limits, the max TTL and the type
    // flags, and writes the global bucket, with one cold SLOAD and one SSTORE.
    // 8 + 88 + 4 * 24 + 32 + 16 + 16 = 256 bits.
    uint88 private _globalBucket;
    uint24 private _globalLimit;
    uint24 private _globalWindow;
    uint24 private _userLimit;
    uint24 private _userWindow;
    uint32 private _maxTtl;
    uint16 private _claimTtl;
    uint16 private _typeFlags;

    // The hot paths read the slot whole as a {ConfigWord} (one SLOAD, no re-reads of a packed
    // slot); its library holds the bit positions, which test/mocha/verifier/views.test.ts pins.

    // Every pause, start (40) | end (40 at bit 40), read only by `fail` to excuse the claims a
    // pause kept from being fulfilled.
    uint256[] private _pauses;

    mapping(uint8 intentType => IIntentValidator) private _validators;
    mapping(address account => AccountWord word) private _accounts;
    mapping(bytes32 id => IntentSlot record) private _intents;

    /**
     * @param registry_ the solver registry (the registry must be wired back to this verifier)
     * @param admin initial default admin (also granted the guardian, validator-admin,
     * policy-admin and rate-limit-admin roles)
     * @param adminDelay delay before a default-admin handover takes effect
     */
    constructor(
        ISolverRegistry registry_,
        address admin,
        uint48 adminDelay
    ) EIP712("IntentKit", "1") AccessControlDefaultAdminRules(adminDelay, admin) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
        _grantRole(GUARDIAN_ROLE, admin);
        _grantRole(VALIDATOR_ADMIN_ROLE, admin);
        _grantRole(POLICY_ADMIN_ROLE, admin);
        _grantRole(RATE_LIMIT_ADMIN_ROLE, admin);
        // Defaults promise at most 100 intents per user in any rolling 15 minutes and at most
        // 1,000 system-wide in any rolling minute: a bucket admits up to twice its limit across
        // one window (see RateLimit), so each limit is half the promise.
        _setUserRateLimit(50, 15 minutes);
        _setGlobalRateLimit(500, 1 minutes);
        _setTimings(1 days, 10 minutes);
        _typeFlags = uint16((1 << INTENT_TYPE_TRANSFER) | (1 << INTENT_TYPE_SWAP));
        emit IntentTypeEnabled(INTENT_TYPE_TRANSFER, true);
        emit IntentTypeEnabled(INTENT_TYPE_SWAP, true);
    }

    // ---------------------------------------------------------------- intake

    /**
     * @notice Submits an intent as its user.
     * @param intent the intent; `intent.user` must be the caller
     * @return id the intent id (its EIP-712 digest)
     */
    function submit(Intent calldata intent) external returns (bytes32 id) {
        ConfigWord config = _unpausedConfig();
        id = hashIntent(intent);
        _intake(intent, id, msg.data[0:0], config);
    }

    /**
     * @notice Submits an intent on its user's behalf, with the user's EIP-712 signature (or an
     * ERC-1271 contract wallet's approval). Anyone may relay; when the user calls it, the
     * signature is not needed and not checked.
     * @param intent the intent
     * @param signature the user's signature over the intent's EIP-712 digest
     * @return id the intent id (its EIP-712 digest)
     */
    function submitWithSignature(Intent calldata intent, bytes calldata signature) external returns (bytes32 id) {
        ConfigWord config = _unpausedConfig();
        id = hashIntent(intent);
        _intake(intent, id, signature, config);
    }

    /**
     * @notice Skips the caller's nonces up to `newNextNonce`, invalidating every intent signed
     * with a skipped nonce and not yet submitted. `2^64 - 1` retires the account's nonces for
     * good: no intent of the caller is accepted afterwards.
     * @param newNextNonce the caller's next nonce from now on; must exceed the current one
     */
    function invalidateNonces(uint64 newNextNonce) external {
        AccountWord account = _accounts[msg.sender];
        uint256 current = account.nextNonce();
        if (newNextNonce <= current) revert NonceNotIncreasing(current, newNextNonce);
        _accounts[msg.sender] = account.withNextNonce(newNextNonce);
        emit NoncesInvalidated(msg.sender, newNextNonce);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * @notice Claims a pending intent for the caller, a registered solver. The claim must be
     * fulfilled by the returned deadline (the earlier of now + claim window and the expiry).
     * An intent requeued after a fulfilment that failed on the user's side cannot be claimed
     * until that claim's deadline has passed, which gives the user time to settle their side.
     * @param id the intent id
     * @return claimDeadline the time by which the caller must fulfil
     */
    function claim(bytes32 id) external returns (uint40 claimDeadline) {
        ConfigWord config = _unpausedConfig();
        IntentSlot record = _intents[id];
        IntentStatus status = record.status();
        if (status != IntentStatus.Pending) revert InvalidStatus(id, status);
        uint256 expiry = record.expiry();
        if (block.timestamp >= expiry) revert IntentHasExpired(id, expiry);
        // A claim released early still holds the intent until its deadline.
        uint256 coolingUntil = record.claimDeadline();
        if (block.timestamp <= coolingUntil) revert ClaimCoolingDown(id, coolingUntil);

        uint256 deadline = block.timestamp + config.claimTtl();
        if (deadline > expiry) deadline = expiry;
        claimDeadline = uint40(deadline);
        _intents[id] = record.claimedBy(msg.sender, deadline);
        emit IntentClaimed(id, msg.sender, claimDeadline);
        // Reverts unless the caller is an active solver within its concurrency and rate limits.
        _callRegistry(ISolverRegistry.recordClaim.selector, msg.sender);
    }

    /**
     * @notice Fulfils a claimed intent: the verifier itself moves the tokens and checks what the
     * recipient gained, so a fee-on-transfer or rebasing token cannot fool it. Transfers move
     * `amount` from the user to the recipient (plus, if the solver sends it,
     * `fulfillment.amountOut` of the same token from the solver, to cover a transfer fee); swaps
     * move `amountIn` from the user to the solver and `fulfillment.amountOut` from the solver to
     * the recipient.
     *
     * When the settlement fails on the user's side (the user's transfer fails: allowance,
     * balance, a blocklist; or the recipient refuses the tokens while the solver has them),
     * nothing moves and the call succeeds: the claim is released without a slash
     * ({ClaimReleased}). The first time, the intent goes back to Pending and cannot be claimed
     * before this claim's deadline; the second time, or past the expiry, it is Cancelled. So a
     * user cannot make a claim lapse to collect a slash, and a solver that claims before the
     * user's approval lands cannot kill the intent.
     * @dev Needs allowances to this contract: the user's for the input token and the solver's
     * for `tokenOut` (or for the transfer token when it tops up).
     * @param intent the intent, as submitted
     * @param fulfillment what the solver delivers and reports
     */
    function fulfill(Intent calldata intent, Fulfillment calldata fulfillment) external nonReentrant {
        _unpausedConfig();
        bytes32 id = hashIntent(intent);
        IntentSlot record = _intents[id];
        IntentStatus status = record.status();
        if (status != IntentStatus.Executing) revert InvalidStatus(id, status);
        address solver = record.solver();
        if (msg.sender != solver) revert NotAssignedSolver(id, msg.sender, solver);
        uint256 deadline = record.claimDeadline();
        if (block.timestamp > deadline) revert ClaimDeadlinePassed(id, deadline);
        uint256 refCount = fulfillment.refs.length;
        if (refCount > MAX_CROSS_CHAIN_REFS) revert TooManyCrossChainRefs(refCount);

        // Effects first: the terminal status. The settlement runs in a call of its own so that a
        // failure on the user's side can undo both legs and still end the claim.
        _intents[id] = record.withStatus(IntentStatus.Completed);
        SettlementTerms memory terms = Settlement.terms(intent);
        (bool settled, uint256 received) = _settleInCall(terms, solver, fulfillment.amountOut);
        if (!settled) {
            IntentSlot next =
                !record.requeued() && block.timestamp < record.expiry()
                    ? record.requeue()
                    : record.withStatus(IntentStatus.Cancelled);
            _release(id, intent.user, solver, next);
            return;
        }
        bool scored = terms.user != solver && terms.recipient != solver;
        uint256 score = Outcome.latencyScore(deadline, block.timestamp, record.claimWindow());
        ISolverRegistry registry_ = registry;
        bytes4 selector = ISolverRegistry.recordSuccess.selector;
        // registry.recordSuccess(solver, score, scored), without the ABI coder's memory round trip.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, selector)
            mstore(add(m, 0x04), solver)
            mstore(add(m, 0x24), score)
            mstore(add(m, 0x44), scored)
            if iszero(extcodesize(registry_)) {
                revert(0x00, 0x00)
            }
            if iszero(call(gas(), registry_, 0, m, 0x64, 0x00, 0x00)) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
        }
        emit IntentCompleted(
            id,
            intent.user,
            solver,
            received,
            fulfillment.gasUsed,
            fulfillment.totalCost,
            fulfillment.refs
        );
    }

    /**
     * @notice Settles `intent` in one transaction: an active bonded solver (the caller) fills a
     * user's signed intent without a prior submission or claim. The intent passes the same
     * validation stages as at intake (structure, type rules, signature, nonce, blocked users,
     * token policies, the pluggable validator), spends the user's nonce, so it can settle only
     * once across both modes, and settles as {fulfill} does, outcome checked on the recipient's
     * balance. Rate limits do not apply: a bonded solver pays for the transaction, and nothing
     * is queued. Any failure reverts the whole fill. No intent record is stored: the spent nonce
     * and {IntentFilled} are its record ({statusOf} reads None). The fill counts in the solver's
     * {fillsOf}. Whether the caller is an Active solver is read from the copy the registry keeps
     * here ({setFillEligibility}); a registry pause does not stop fills, this contract's does.
     * @param intent the intent
     * @param signature the user's EIP-712 signature (unused when the caller is the user)
     * @param amountOut for swaps, the `tokenOut` amount the solver delivers; for transfers, an
     * optional top-up of the same token
     * @return id the intent id
     * @return received what the recipient's balance gained
     */
    function fill(
        Intent calldata intent,
        bytes calldata signature,
        uint256 amountOut
    ) external nonReentrant returns (bytes32 id, uint256 received) {
        ConfigWord config = _unpausedConfig();
        id = hashIntent(intent);
        (AccountWord account, SettlementTerms memory terms) = _validate(intent, id, signature, config);
        // Only an Active solver fills: the registry keeps that bit of the solver's account word
        // equal to its status, so the check and the count cost one word and no call.
        if (msg.sender == terms.user) {
            if (!account.fillEligible()) _revertNotFillEligible();
            _accounts[msg.sender] = account.nonceSpent().filledOnce();
        } else {
            AccountWord solverAccount = _accounts[msg.sender];
            if (!solverAccount.fillEligible()) _revertNotFillEligible();
            _accounts[terms.user] = account.nonceSpent();
            _accounts[msg.sender] = solverAccount.filledOnce();
        }
        received = Settlement.settle(terms, msg.sender, amountOut);
        _emitWithParams(
            IntentFilled.selector,
            id,
            terms.user,
            msg.sender,
            intent.intentType,
            intent.nonce,
            intent.params,
            received
        );
    }

    /**
     * @notice The settlement step of {fulfill}, run as a call of its own so that it can be undone
     * as a whole. Only this contract may call it.
     * @param terms what moves, from {Settlement-terms}
     * @param solver the assigned solver
     * @param amountOut what the solver delivers
     * @return received what the recipient's balance gained
     */
    function settleFor(
        SettlementTerms calldata terms,
        address solver,
        uint256 amountOut
    ) external returns (uint256 received) {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        // Encoded by _settleInCall from terms already in memory: no re-validation, one copy.
        SettlementTerms memory t;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            calldatacopy(t, terms, 0xe0)
        }
        return Settlement.settle(t, solver, amountOut);
    }

    /**
     * @notice Ends a claim whose deadline passed unfulfilled. Anyone may call it. The solver is
     * slashed in favour of the user; the intent returns to Pending if it has not expired, else
     * it fails for good. A claim that any pause overlapped, between the moment it was made and
     * its deadline, is released instead: the solver could not fulfil while paused, so it is not
     * slashed and no failure is counted ({ClaimReleased}; the intent returns to Pending, or is
     * Expired).
     * @param intent the intent, as submitted
     */
    function fail(Intent calldata intent) external nonReentrant whenNotPaused {
        bytes32 id = hashIntent(intent);
        IntentSlot record = _intents[id];
        IntentStatus status = record.status();
        if (status != IntentStatus.Executing) revert InvalidStatus(id, status);
        uint256 deadline = record.claimDeadline();
        if (block.timestamp <= deadline) revert ClaimStillValid(id, deadline);

        address solver = record.solver();
        bool requeued = block.timestamp < record.expiry();
        // Back to Pending keeps the lapsed claim on record; its deadline has passed.
        IntentSlot pending = record.withStatus(IntentStatus.Pending);
        if (_pausedDuring(record.claimedAt(), deadline)) {
            _release(id, intent.user, solver, requeued ? pending : record.withStatus(IntentStatus.Expired));
            return;
        }
        _intents[id] = requeued ? pending : record.withStatus(IntentStatus.Failed);
        emit ClaimFailed(id, intent.user, solver, requeued);
        registry.recordFailure(solver, intent.user);
    }

    /**
     * @notice Cancels a pending intent that has not expired. Only its user may, and it works
     * while paused.
     * @param intent the intent, as submitted
     */
    function cancel(Intent calldata intent) external {
        if (msg.sender != intent.user) revert NotIntentUser(msg.sender, intent.user);
        bytes32 id = hashIntent(intent);
        IntentSlot record = _intents[id];
        IntentStatus status = record.status();
        if (status != IntentStatus.Pending) revert InvalidStatus(id, status);
        // Past its expiry the intent already reads as Expired, a terminal status.
        uint256 expiry = record.expiry();
        if (block.timestamp >= expiry) revert IntentHasExpired(id, expiry);
        _intents[id] = record.withStatus(IntentStatus.Cancelled);
        emit IntentCancelled(id, msg.sender);
    }

    /**
     * @notice Marks a pending intent whose expiry has passed as Expired. Anyone may call it;
     * views already report such an intent as Expired.
     * @param intent the intent, as submitted
     */
    function expire(Intent calldata intent) external {
        bytes32 id = hashIntent(intent);
        IntentSlot record = _intents[id];
        IntentStatus status = record.status();
        if (status != IntentStatus.Pending) revert InvalidStatus(id, status);
        uint256 expiry = record.expiry();
        if (block.timestamp < expiry) revert IntentNotExpired(id, expiry);
        _intents[id] = record.withStatus(IntentStatus.Expired);
        emit IntentExpired(id, intent.user);
    }

    // ---------------------------------------------------------------- admin

    /**
     * @notice Enables or disables a shipped intent type for new submissions. Intents already
     * submitted run their course.
     * @param intentType INTENT_TYPE_TRANSFER or INTENT_TYPE_SWAP
     * @param enabled whether new intents of the type are accepted
     */
    function setIntentTypeEnabled(uint8 intentType, bool enabled) external onlyRole(VALIDATOR_ADMIN_ROLE) {
        _requireShippedType(intentType);
        uint256 bit = 1 << intentType;
        _typeFlags = uint16(enabled ? _typeFlags | bit : _typeFlags & ~bit);
        emit IntentTypeEnabled(intentType, enabled);
    }

    /**
     * @notice Plugs a validator into a shipped intent type, on top of the built-in rules; the
     * zero address removes it.
     * @param intentType INTENT_TYPE_TRANSFER or INTENT_TYPE_SWAP
     * @param validator a validator whose `intentType()` is `intentType`, or zero
     */
    function setValidator(uint8 intentType, IIntentValidator validator) external onlyRole(VALIDATOR_ADMIN_ROLE) {
        _requireShippedType(intentType);
        uint256 bit = 1 << (VALIDATOR_FLAG_SHIFT + intentType);
        if (address(validator) != address(0)) {
            uint8 validatorType = validator.intentType();
            if (validatorType != intentType) revert ValidatorTypeMismatch(intentType, validatorType);
            _typeFlags = uint16(_typeFlags | bit);
        } else {
            _typeFlags = uint16(_typeFlags & ~bit);
        }
        _validators[intentType] = validator;
        emit ValidatorSet(intentType, address(validator));
    }

    /**
     * @notice Sets the business rules of `token` for `intentType`: whether intents may use it
     * and, for the token a user gives, the bounds on the amount.
     * @param intentType INTENT_TYPE_TRANSFER or INTENT_TYPE_SWAP
     * @param token the ERC-20 token
     * @param allowed whether intents of the type may use it
     * @param minAmount smallest amount, below 2^120
     * @param maxAmount largest amount, at least `minAmount`, below 2^128
     */
    function setTokenPolicy(
        uint8 intentType,
        address token,
        bool allowed,
        uint256 minAmount,
        uint256 maxAmount
    ) external onlyRole(POLICY_ADMIN_ROLE) {
        _requireShippedType(intentType);
        _setTokenPolicy(intentType, token, allowed, minAmount, maxAmount);
    }

    /**
     * @notice Sets the system-wide submission rate limit (see {RateLimit} for the burst semantics).
     * @param limit intents per window, 1 to 2^24 - 1
     * @param window seconds, 1 to 2^24 - 1
     */
    function setGlobalRateLimit(uint256 limit, uint256 window) external onlyRole(RATE_LIMIT_ADMIN_ROLE) {
        _setGlobalRateLimit(limit, window);
    }

    /**
     * @notice Sets the per-user submission rate limit (see {RateLimit} for the burst semantics).
     * @param limit intents per window, 1 to 2^24 - 1
     * @param window seconds, 1 to 2^24 - 1
     */
    function setUserRateLimit(uint256 limit, uint256 window) external onlyRole(RATE_LIMIT_ADMIN_ROLE) {
        _setUserRateLimit(limit, window);
    }

    /**
     * @notice Exempts a trusted relayer from rate limits: intents it submits skip both the
     * user's and the global bucket (the relayer is trusted to limit its own traffic).
     * @param account the relayer
     * @param exempt whether it is exempt
     */
    function setRateLimitExempt(address account, bool exempt) external onlyRole(RATE_LIMIT_ADMIN_ROLE) {
        if (account == address(0)) revert ZeroAddress();
        _accounts[account] = _accounts[account].withExempt(exempt);
        emit RateLimitExemptionSet(account, exempt);
    }

    /// @inheritdoc IIntentVerifier
    function setFillEligibility(address solver, bool eligible) external {
        if (msg.sender != address(registry)) revert NotRegistry(msg.sender);
        _accounts[solver] = _accounts[solver].withFillEligible(eligible);
        emit FillEligibilitySet(solver, eligible);
    }

    /**
     * @notice Blocks or unblocks a user: a blocked user's intents are rejected at intake.
     * @param user the user
     * @param blocked whether the user is blocked
     */
    function setUserBlocked(address user, bool blocked) external onlyRole(GUARDIAN_ROLE) {
        if (user == address(0)) revert ZeroAddress();
        _accounts[user] = _accounts[user].withBlocked(blocked);
        emit UserBlockedSet(user, blocked);
    }

    /**
     * @notice Sets the longest lifetime an intent may ask for and the claim window.
     * @param maxTtl seconds, 1 to 2^32 - 1
     * @param claimTtl seconds a solver has to fulfil a claim, 1 to `maxTtl` and at most 65,535
     */
    function setTimings(uint256 maxTtl, uint256 claimTtl) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTimings(maxTtl, claimTtl);
    }

    /// @notice Stops submissions, fills, claims, fulfilments and failures. Cancellation still
    /// works. Claims whose window the pause overlaps are released rather than slashed (see {fail}).
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
        _pauses.push(block.timestamp);
    }

    /// @notice Lifts {pause}.
    function unpause() external onlyRole(GUARDIAN_ROLE) {
        _unpause();
        uint256 last = _pauses.length - 1;
        _pauses[last] |= block.timestamp << 40;
    }

    /// @notice How many pauses there have been.
    function pauseCount() external view returns (uint256) {
        return _pauses.length;
    }

    /// @notice When pause number `index` (from 0) started and ended (0 while it lasts).
    function pauseAt(uint256 index) external view returns (uint256 pausedAt, uint256 unpausedAt) {
        uint256 word = _pauses[index];
        return (uint40(word), word >> 40);
    }

    /// @notice When the last pause started and ended (zero before the first).
    function lastPause() external view returns (uint256 pausedAt, uint256 unpausedAt) {
        uint256 count = _pauses.length;
        if (count == 0) return (0, 0);
        uint256 word = _pauses[count - 1];
        return (uint40(word), word >> 40);
    }

    // ---------------------------------------------------------------- views

    /**
     * @notice The intent id: the EIP-712 digest of `intent` under this verifier's domain (name
     * "IntentKit", version "1", this chain, this contract), so it never repeats across chains or
     * verifiers. It is also what the user signs.
     */
    function hashIntent(Intent calldata intent) public view returns (bytes32) {
        bytes32 id;
        bytes calldata params = intent.params;
        bytes32 typehash = INTENT_TYPEHASH;
        bytes32 separator = _domainSeparatorV4();
        // keccak256(abi.encode(INTENT_TYPEHASH, user, intentType, nonce, expiry, keccak256(params)))
        // wrapped as in EIP712._hashTypedDataV4, built in scratch memory past the free pointer.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let user := calldataload(intent)
            let intentType := calldataload(add(intent, 0x20))
            let nonce := calldataload(add(intent, 0x40))
            let expiry := calldataload(add(intent, 0x60))
            // The ABI decoder rejects a value wider than its type (revert without data); so does
            // this, and every later read of these fields may then take the word as it is.
            if or(or(shr(160, user), shr(8, intentType)), or(shr(64, nonce), shr(40, expiry))) {
                revert(0x00, 0x00)
            }
            let m := mload(0x40)
            calldatacopy(m, params.offset, params.length)
            let paramsHash := keccak256(m, params.length)
            mstore(m, typehash)
            mstore(add(m, 0x20), user)
            mstore(add(m, 0x40), intentType)
            mstore(add(m, 0x60), nonce)
            mstore(add(m, 0x80), expiry)
            mstore(add(m, 0xa0), paramsHash)
            let structHash := keccak256(m, 0xc0)
            mstore(m, hex"1901")
            mstore(add(m, 0x02), separator)
            mstore(add(m, 0x22), structHash)
            id := keccak256(m, 0x42)
        }
        return id;
    }

    /// @notice The stored record of intent `id` (status None when unknown).
    function getIntent(bytes32 id) external view returns (IntentRecord memory info) {
        IntentSlot record = _intents[id];
        info.status = record.status();
        info.intentType = record.intentType();
        info.expiry = uint40(record.expiry());
        info.claimDeadline = uint40(record.claimDeadline());
        info.claimedAt = uint40(record.claimedAt());
        info.requeued = record.requeued();
        info.solver = record.solver();
    }

    /// @notice The authoritative status of intent `id`: the stored one, except that a pending
    /// intent past its expiry reads as Expired before anyone calls {expire}.
    function statusOf(bytes32 id) external view returns (IntentStatus status) {
        IntentSlot record = _intents[id];
        status = record.status();
        if (status == IntentStatus.Pending && block.timestamp >= record.expiry()) {
            status = IntentStatus.Expired;
        }
    }

    /// @notice The nonce `user`'s next intent must carry.
    function nextNonce(address user) external view returns (uint64) {
        return uint64(_accounts[user].nextNonce());
    }

    /// @notice Whether `user` is blocked.
    function isBlocked(address user) external view returns (bool) {
        return _accounts[user].blocked();
    }

    /// @inheritdoc IIntentVerifier
    function isFillEligible(address solver) external view returns (bool) {
        return _accounts[solver].fillEligible();
    }

    /// @inheritdoc IIntentVerifier
    function fillsOf(address solver) external view returns (uint256) {
        return _accounts[solver].fills();
    }

    /// @notice Whether `account` is exempt from rate limits when submitting.
    function isRateLimitExempt(address account) external view returns (bool) {
        return _accounts[account].exempt();
    }

    /// @notice The pluggable validator of `intentType` (zero when none is plugged).
    function validatorOf(uint8 intentType) external view returns (IIntentValidator) {
        return _validators[intentType];
    }

    /// @notice Whether new intents of `intentType` are accepted.
    function isIntentTypeEnabled(uint8 intentType) external view returns (bool) {
        return intentType < VALIDATOR_FLAG_SHIFT && (_typeFlags >> intentType) & 1 == 1;
    }

    /// @notice The configured limits: `limit` intents per `window` seconds, global and per user.
    function rateLimits()
        external
        view
        returns (uint256 globalLimit, uint256 globalWindow, uint256 userLimit, uint256 userWindow)
    {
        return (_globalLimit, _globalWindow, _userLimit, _userWindow);
    }

    /// @notice The longest intent lifetime and the claim window, in seconds.
    function timings() external view returns (uint256 maxTtl, uint256 claimTtl) {
        return (_maxTtl, _claimTtl);
    }

    /**
     * @notice What remains of `user`'s and the global submission buckets, and when they refill.
     * @return userRemaining intents `user` may submit now
     * @return userRetryAfter seconds until `user` may submit again (0 when it may now)
     * @return userFullIn seconds until `user`'s bucket is full
     * @return globalRemaining intents the system admits now
     * @return globalRetryAfter seconds until the system admits again (0 when it does now)
     * @return globalFullIn seconds until the global bucket is full
     */
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
        )
    {
        (userRemaining, userRetryAfter, userFullIn) = _accounts[user].bucketStatus(_userLimit, _userWindow);
        (globalRemaining, globalRetryAfter, globalFullIn) = RateLimit.status(
            _globalBucket,
            _globalLimit,
            _globalWindow
        );
    }

    /// @notice Bucket id the global rate limit reports in `RateLimited`.
    function globalBucketId() public pure returns (bytes32) {
        return keccak256("intentkit.ratelimit.global");
    }

    /// @notice Bucket id `user`'s rate limit reports in `RateLimited`.
    function userBucketId(address user) public pure returns (bytes32) {
        return bytes32(uint256(uint160(user)));
    }

    /// @notice The EIP-712 domain separator intents are signed under.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    /// @dev Stages 1 to 4 and the rate limits, then the effects of a submission.
    function _intake(Intent calldata intent, bytes32 id, bytes calldata signature, ConfigWord config) private {
        address user = intent.user;
        (AccountWord validated, ) = _validate(intent, id, signature, config);
        AccountWord account = _consumeRateLimits(user, validated, config);

        // Effects.
        _accounts[user] = account.nonceSpent();
        uint8 intentType = intent.intentType;
        uint40 expiry = intent.expiry;
        _intents[id] = IntentSlotLibrary.submitted(intentType, expiry);
        // emit IntentSubmitted(id, user, intentType, nonce, expiry, params), params copied
        // straight from calldata.
        bytes32 topic = IntentSubmitted.selector;
        uint64 nonce = intent.nonce;
        bytes calldata params = intent.params;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, nonce)
            mstore(add(m, 0x20), expiry)
            mstore(add(m, 0x40), 0x60)
            mstore(add(m, 0x60), params.length)
            // Zero the padding of the last word, then copy the bytes over it.
            let padded := and(add(params.length, 0x1f), not(0x1f))
            mstore(add(m, add(0x60, padded)), 0)
            calldatacopy(add(m, 0x80), params.offset, params.length)
            log4(m, add(0x80, padded), topic, id, user, intentType)
        }
    }

    /// @dev Emits {IntentFilled} (the only event with this shape) with `params` copied straight
    /// from calldata.
    function _emitWithParams(
        bytes32 topic,
        bytes32 id,
        address user,
        address solver,
        uint8 intentType,
        uint64 nonce,
        bytes calldata params,
        uint256 received
    ) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, intentType)
            mstore(add(m, 0x20), nonce)
            mstore(add(m, 0x40), 0x80)
            mstore(add(m, 0x60), received)
            mstore(add(m, 0x80), params.length)
            let padded := and(add(params.length, 0x1f), not(0x1f))
            mstore(add(m, add(0x80, padded)), 0)
            calldatacopy(add(m, 0xa0), params.offset, params.length)
            log4(m, add(0xa0, padded), topic, id, user, solver)
        }
    }

    /// @dev The configuration word (see the layout above), after the check of {whenNotPaused}
    /// (paused is its low byte): one SLOAD serves the pause check and every field the hot paths
    /// read.
    function _unpausedConfig() private view returns (ConfigWord config) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            config := sload(_globalBucket.slot)
        }
        if (config.paused()) revert EnforcedPause();
    }

    /// @dev Why the caller may not fill, in the registry's terms; only on the failing path.
    function _revertNotFillEligible() private view {
        ISolverRegistry.SolverStatus status = registry.getSolver(msg.sender).status;
        if (status == ISolverRegistry.SolverStatus.Active) revert FillEligibilityNotSynced(msg.sender);
        revert ISolverRegistry.InvalidSolverStatus(msg.sender, status);
    }

    /// @dev `registry.<selector>(solver)`, as Solidity calls it (no code: revert without data; a
    /// revert bubbles up), without the ABI coder's memory round trip.
    function _callRegistry(bytes4 selector, address solver) private {
        ISolverRegistry registry_ = registry;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, selector)
            mstore(0x04, solver)
            if iszero(extcodesize(registry_)) {
                revert(0x00, 0x00)
            }
            if iszero(call(gas(), registry_, 0, 0x00, 0x24, 0x00, 0x00)) {
                let m := mload(0x40)
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
        }
    }

    /// @dev `try this.settleFor(terms, solver, amountOut)`: returns whether it settled and what
    /// the recipient received. A {UserSideFailure} (exactly its 4 bytes) returns false; any
    /// other revert bubbles up.
    function _settleInCall(
        SettlementTerms memory terms,
        address solver,
        uint256 amountOut
    ) private returns (bool settled, uint256 received) {
        bytes4 selector = this.settleFor.selector;
        bytes4 userSide = UserSideFailure.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, selector)
            // A static struct in memory is its seven words, already in ABI form.
            mcopy(add(m, 0x04), terms, 0xe0)
            mstore(add(m, 0xe4), solver)
            mstore(add(m, 0x104), amountOut)
            settled := call(gas(), address(), 0, m, 0x124, 0x00, 0x20)
            switch settled
            case 0 {
                returndatacopy(m, 0x00, returndatasize())
                if iszero(and(eq(returndatasize(), 4), eq(and(mload(m), shl(224, 0xffffffff)), userSide))) {
                    revert(m, returndatasize())
                }
            }
            default {
                if lt(returndatasize(), 0x20) {
                    revert(0x00, 0x00)
                }
                received := mload(0x00)
            }
        }
    }

    /// @dev Stages 1 to 4. Returns the user's account word and the settlement terms, decoded
    /// once by the type rules.
    function _validate(
        Intent calldata intent,
        bytes32 id,
        bytes calldata signature,
        ConfigWord config
    ) private view returns (AccountWord account, SettlementTerms memory terms) {
        IIntentValidator validator = _checkStructure(intent, config);
        // Stage 2: type-specific rules; returns what the business rules and the settlement need.
        terms = _checkTypeRules(intent);
        if (address(validator) != address(0)) validator.validateParams(terms.user, intent.params);
        account = _checkSecurity(intent, id, signature);
        // Stage 4: business rules; a swap's output token must be allowed too.
        uint8 intentType = intent.intentType;
        _checkToken(intentType, address(terms.input), terms.amountIn);
        if (!terms.isTransfer) _checkTokenAllowed(intentType, address(terms.output));
        if (address(validator) != address(0)) validator.checkBusinessRules(terms.user, intent.params);
    }

    /// @dev Stage 1: structure. Returns the type's pluggable validator, zero when none is set.
    function _checkStructure(
        Intent calldata intent,
        ConfigWord config
    ) private view returns (IIntentValidator validator) {
        if (intent.user == address(0)) revert ZeroUser();
        uint256 expiry = intent.expiry;
        if (expiry <= block.timestamp) revert ExpiryInPast(expiry);
        uint256 maxExpiry = block.timestamp + config.maxTtl();
        // Records keep times in 32 bits.
        if (maxExpiry > type(uint32).max) maxExpiry = type(uint32).max;
        if (expiry > maxExpiry) revert ExpiryTooFar(expiry, maxExpiry);
        uint8 intentType = intent.intentType;
        uint256 flags = config.typeFlags();
        if (intentType >= VALIDATOR_FLAG_SHIFT || (flags >> intentType) & 1 == 0) revert UnknownIntentType(intentType);
        // The mapping is only read when a validator is plugged: the flag saves the cold SLOAD.
        if ((flags >> (VALIDATOR_FLAG_SHIFT + intentType)) & 1 == 1) validator = _validators[intentType];
    }

    /// @dev Stage 2, built-in part: the type's rules. Returns the settlement terms: the token the
    /// user gives and its amount, the token the recipient gets and how much it must receive.
    function _checkTypeRules(Intent calldata intent) private pure returns (SettlementTerms memory t) {
        address user = intent.user;
        t.user = user;
        if (intent.intentType == INTENT_TYPE_TRANSFER) {
            (address token, uint256 amount, address recipient) = TransferRules.check(intent.params);
            if (recipient == user) revert RecipientIsUser(recipient);
            t.input = IERC20(token);
            t.isTransfer = true;
            t.output = IERC20(token);
            t.recipient = recipient;
            t.amountIn = amount;
            t.required = amount;
            return t;
        }
        (address tokenIn, uint256 amountIn, address tokenOut, uint256 minAmountOut, address recipient_) = SwapRules
            .check(intent.params);
        t.input = IERC20(tokenIn);
        t.output = IERC20(tokenOut);
        t.recipient = recipient_;
        t.amountIn = amountIn;
        t.required = minAmountOut;
    }

    /// @dev Stage 3: security. Returns the user's account word. Cross-chain and cross-verifier
    /// replay is ruled out by the id (which is what the user signs) being bound to this chain
    /// and this contract through EIP-712; an id can never be submitted twice because it commits
    /// to a nonce, and a user's nonce only moves forward.
    function _checkSecurity(
        Intent calldata intent,
        bytes32 id,
        bytes calldata signature
    ) private view returns (AccountWord account) {
        address user = intent.user;
        if (msg.sender != user) {
            if (signature.length == 0) revert NotIntentUser(msg.sender, user);
            // ECDSA first, so an EOA costs no EXTCODESIZE; contract wallets fall back to ERC-1271.
            (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(id, signature);
            if (
                (err != ECDSA.RecoverError.NoError || recovered != user) &&
                !SignatureChecker.isValidERC1271SignatureNowCalldata(user, id, signature)
            ) revert InvalidSignature(user);
        }
        account = _accounts[user];
        if (account.blocked()) revert UserBlocked(user);
        uint256 expectedNonce = account.nextNonce();
        // The last nonce is never accepted, so the increment at intake can never carry out of
        // the 64-bit field into the flags above it.
        if (intent.nonce != expectedNonce || expectedNonce == RETIRED_NONCE) {
            revert InvalidNonce(user, expectedNonce, intent.nonce);
        }
    }

    /// @dev The user's and the global bucket, unless the caller is an exempt relayer. Returns
    /// the user's account word with its bucket updated (the caller writes it).
    function _consumeRateLimits(address user, AccountWord account, ConfigWord config) private returns (AccountWord) {
        AccountWord caller = msg.sender == user ? account : _accounts[msg.sender];
        if (caller.exempt()) return account;
        // Unpaused here (see _unpausedConfig), so the paused byte written back is zero.
        ConfigWord updated = config.globalConsumed(globalBucketId());
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(_globalBucket.slot, updated)
        }
        // The user's bucket is the account word's low 88 bits; consume keeps the bits above it.
        uint256 word = AccountWord.unwrap(account);
        word = RateLimit.consume(word, config.userLimit(), config.userWindow(), userBucketId(user));
        return AccountWord.wrap(word);
    }

    /// @dev Ends a claim without an outcome: stores `newRecord` and frees the solver's slot.
    function _release(bytes32 id, address user, address solver, IntentSlot newRecord) private {
        _intents[id] = newRecord;
        emit ClaimReleased(id, user, solver, newRecord.status());
        registry.recordRelease(solver);
    }

    /// @dev Whether a pause overlapped the claim made at `claimedAt` with deadline `deadline`:
    /// one that started by the deadline and ended after the claim second (a claim cannot be made
    /// while paused, so a pause that ended in the claim's own second ended before it). Walks back
    /// from the last pause and stops at the first that ended by `claimedAt`: pauses never overlap.
    function _pausedDuring(uint256 claimedAt, uint256 deadline) private view returns (bool) {
        for (uint256 i = _pauses.length; i > 0;) {
            unchecked {
                --i;
            }
            uint256 word = _pauses[i];
            if (word >> 40 <= claimedAt) return false;
            if (uint40(word) <= deadline) return true;
        }
        return false;
    }

    function _requireShippedType(uint8 intentType) private pure {
        if (intentType != INTENT_TYPE_TRANSFER && intentType != INTENT_TYPE_SWAP) revert UnknownIntentType(intentType);
    }

    function _setGlobalRateLimit(uint256 limit, uint256 window) private {
        RateLimit.validate(limit, window);
        _globalLimit = uint24(limit);
        _globalWindow = uint24(window);
        emit GlobalRateLimitSet(limit, window);
    }

    function _setUserRateLimit(uint256 limit, uint256 window) private {
        RateLimit.validate(limit, window);
        _userLimit = uint24(limit);
        _userWindow = uint24(window);
        emit UserRateLimitSet(limit, window);
    }

    function _setTimings(uint256 maxTtl, uint256 claimTtl) private {
        if (
            maxTtl == 0 ||
            maxTtl > type(uint32).max ||
            claimTtl == 0 ||
            claimTtl > maxTtl ||
            claimTtl > type(uint16).max
        ) {
            revert InvalidTiming(maxTtl, claimTtl);
        }
        _maxTtl = uint32(maxTtl);
        _claimTtl = uint16(claimTtl);
        emit TimingsSet(maxTtl, claimTtl);
    }
}
