// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

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
 * @notice The stored record of an intent, as returned by `IntentVerifier.getIntent`. The
 * execution record (amount received, reported gas and cost, cross-chain references) is the
 * `IntentCompleted` event.
 * @param status lifecycle status as stored (see `IntentVerifier.statusOf` for the effective one)
 * @param intentType the intent's type
 * @param expiry the intent's expiry
 * @param claimDeadline the deadline of the latest claim, in every status (zero when never
 * claimed); no new claim is accepted until it has passed, so after a user-side failure it is the
 * cool-down
 * @param claimedAt when the latest claim was made (zero alongside `claimDeadline`)
 * @param requeued whether a fulfilment already failed once on the user's side
 * @param solver the solver of the latest claim, in every status (zero when never claimed)
 */
struct IntentRecord {
    IntentStatus status;
    uint8 intentType;
    uint40 expiry;
    uint40 claimDeadline;
    uint40 claimedAt;
    bool requeued;
    address solver;
}

/**
 * @notice What settling an intent moves: `amountIn` of `input` from `user` (to the recipient
 * for transfers, to the solver for swaps) and `output` to `recipient`, who must receive
 * `required`. Built by {Settlement-terms}.
 */
// Memory and calldata only, where every member takes a full word anyway.
// solhint-disable-next-line gas-struct-packing
struct SettlementTerms {
    IERC20 input;
    bool isTransfer;
    IERC20 output;
    address user;
    address recipient;
    uint256 amountIn;
    uint256 required;
}
