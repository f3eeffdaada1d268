// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Intent type identifiers; 0 is never valid so an unset field cannot pass as a type.
uint8 constant INTENT_TYPE_TRANSFER = 1;
uint8 constant INTENT_TYPE_SWAP = 2;

/**
 * @notice What a user asks for. The verifier stores only a commitment (the EIP-712 digest of
 * this struct, which is the intent id); the full intent travels in calldata and in the
 * `IntentSubmitted` event.
 * @param user owner of the funds and of the nonce
 * @param intentType one of the INTENT_TYPE_* constants
 * @param nonce must equal the user's next nonce at submission
 * @param expiry unix time after which the intent can no longer be claimed or fulfilled
 * @param params type-specific parameters, ABI-encoded ({TransferParams} or {SwapParams})
 */
struct Intent {
    address user;
    uint8 intentType;
    uint64 nonce;
    uint40 expiry;
    bytes params;
}

/// @notice `amount` of `token` moves from the user to `recipient`.
struct TransferParams {
    address token;
    uint256 amount;
    address recipient;
}

/// @notice The user gives `amountIn` of `tokenIn` to the solver; `recipient` must receive at
/// least `minAmountOut` of `tokenOut` from the solver.
struct SwapParams {
    address tokenIn;
    uint256 amountIn;
    address tokenOut;
    uint256 minAmountOut;
    address recipient;
}

/// @notice A leg of an execution that ran on another chain.
struct CrossChainRef {
    uint64 chainId;
    bytes32 txHash;
}

/**
 * @notice What a solver reports when it fulfils an intent.
 * @param amountOut for swaps, the `tokenOut` amount the verifier pulls from the solver to the
 * recipient (at least `minAmountOut`, more to cover a fee-on-transfer token); ignored for transfers
 * @param gasUsed gas the solver spent, as reported by the solver
 * @param totalCost total cost in wei, as reported by the solver
 * @param refs transactions on other chains, at most {IntentVerifier-MAX_CROSS_CHAIN_REFS}
 */
struct Fulfillment {
    uint256 amountOut;
    uint40 gasUsed;
    uint128 totalCost;
    CrossChainRef[] refs;
}

/// @notice Lifecycle of an intent. Completed, Failed, Expired and Cancelled are terminal.
enum IntentStatus {
    None,
    Pending,
    Executing,
    Completed,
    Failed,
    Expired,
    Cancelled
}

/**
 * @notice The stored record of an intent, as returned by `IntentVerifier.getIntent`.
 * @param status lifecycle status as stored (see `IntentVerifier.statusOf` for the effective one)
 * @param intentType the intent's type
 * @param expiry the intent's expiry
 * @param claimDeadline while Executing, and once Failed, the deadline of the (last) claim
 * @param gasUsed once Completed, the gas the solver reported (the full execution record, with
 * the cost and cross-chain references, is in the `IntentCompleted` event)
 * @param solver the solver of the current or last claim; zero when requeued or never claimed
 */
struct IntentRecord {
    IntentStatus status;
    uint8 intentType;
    uint40 expiry;
    uint40 claimDeadline;
    uint40 gasUsed;
    address solver;
}
