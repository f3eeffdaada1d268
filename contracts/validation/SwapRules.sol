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
        (p.tokenIn, p.amountIn, p.tokenOut, p.minAmountOut, p.recipient) = check(params);
    }

    /// @notice {validate} without the struct: the decoded fields on the stack.
    /// @dev Reads the words in place instead of copying them to memory. Like `abi.decode`, it
    /// reverts without data on an address word with dirty upper bits, before any other check.
    function check(
        bytes calldata params
    )
        internal
        pure
        returns (address tokenIn, uint256 amountIn, address tokenOut, uint256 minAmountOut, address recipient)
    {
        if (params.length != PARAMS_LENGTH) revert TransferRules.MalformedParams(params.length, PARAMS_LENGTH);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            tokenIn := calldataload(params.offset)
            amountIn := calldataload(add(params.offset, 0x20))
            tokenOut := calldataload(add(params.offset, 0x40))
            minAmountOut := calldataload(add(params.offset, 0x60))
            recipient := calldataload(add(params.offset, 0x80))
            if shr(160, or(or(tokenIn, tokenOut), recipient)) {
                revert(0, 0)
            }
        }
        if (tokenIn == address(0)) revert TransferRules.ZeroAddressParam(0);
        if (tokenOut == address(0)) revert TransferRules.ZeroAddressParam(2);
        if (recipient == address(0)) revert TransferRules.ZeroAddressParam(4);
        if (tokenIn == tokenOut) revert SameToken(tokenIn);
        if (amountIn == 0) revert TransferRules.ZeroAmountParam(1);
        if (minAmountOut == 0) revert TransferRules.ZeroAmountParam(3);
    }
}
