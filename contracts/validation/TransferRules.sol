// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TransferParams} from "../libraries/IntentTypes.sol";

/**
 * @title TransferRules
 * @notice Built-in type-specific validation of transfer intents: `amount` of a non-zero
 * `token` to a non-zero `recipient`.
 */
library TransferRules {
    /// @dev abi.encode(TransferParams) is three static words.
    uint256 internal constant PARAMS_LENGTH = 96;

    /// @notice The encoded parameters do not have the length this type needs.
    error MalformedParams(uint256 length, uint256 expected);
    /// @notice A required address parameter is zero. `word` is its position in the encoded
    /// params: 0 token, 2 recipient (transfers); 0 tokenIn, 2 tokenOut, 4 recipient (swaps).
    error ZeroAddressParam(uint256 word);
    /// @notice A required amount parameter is zero. `word` is its position in the encoded
    /// params: 1 amount (transfers); 1 amountIn, 3 minAmountOut (swaps).
    error ZeroAmountParam(uint256 word);

    /// @notice Decodes `params` and reverts unless they form a valid transfer.
    function validate(bytes calldata params) internal pure returns (TransferParams memory p) {
        (p.token, p.amount, p.recipient) = check(params);
    }

    /// @notice {validate} without the struct: the decoded fields on the stack.
    /// @dev Reads the words in place instead of copying them to memory. Like `abi.decode`, it
    /// reverts without data on an address word with dirty upper bits, before any other check.
    function check(bytes calldata params) internal pure returns (address token, uint256 amount, address recipient) {
        if (params.length != PARAMS_LENGTH) revert MalformedParams(params.length, PARAMS_LENGTH);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            token := calldataload(params.offset)
            amount := calldataload(add(params.offset, 0x20))
            recipient := calldataload(add(params.offset, 0x40))
            if shr(160, or(token, recipient)) {
                revert(0, 0)
            }
        }
        if (token == address(0)) revert ZeroAddressParam(0);
        if (recipient == address(0)) revert ZeroAddressParam(2);
        if (amount == 0) revert ZeroAmountParam(1);
    }
}
