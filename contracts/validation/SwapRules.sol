// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SwapParams} from "../libraries/IntentTypes.sol";
import {TransferRules} from "./TransferRules.sol";

/**
 * @title SwapRules
 * @notice Built-in type-specific validation of swap intents: two different non-zero tokens,
 * non-zero amounts and a non-zero recipient.
 */
library SwapRules {
    /// @dev abi.encode(SwapParams) is five static words.
    uint256 internal constant PARAMS_LENGTH = 160;

    /// @notice Input and output token are the same.
    error SameToken(address token);

    /// @notice Decodes `params` and reverts unless they form a valid swap.
    function validate(bytes calldata params) internal pure returns (SwapParams memory p) {
        if (params.length != PARAMS_LENGTH) revert TransferRules.MalformedParams(params.length, PARAMS_LENGTH);
        p = abi.decode(params, (SwapParams));
        if (p.tokenIn == address(0)) revert TransferRules.ZeroAddressParam(0);
        if (p.tokenOut == address(0)) revert TransferRules.ZeroAddressParam(2);
        if (p.recipient == address(0)) revert TransferRules.ZeroAddressParam(4);
        if (p.tokenIn == p.tokenOut) revert SameToken(p.tokenIn);
        if (p.amountIn == 0) revert TransferRules.ZeroAmountParam(1);
        if (p.minAmountOut == 0) revert TransferRules.ZeroAmountParam(3);
    }
}
