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
        if (params.length != PARAMS_LENGTH) revert MalformedParams(params.length, PARAMS_LENGTH);
        p = abi.decode(params, (TransferParams));
        if (p.token == address(0)) revert ZeroAddressParam(0);
        if (p.recipient == address(0)) revert ZeroAddressParam(2);
        if (p.amount == 0) revert ZeroAmountParam(1);
    }
}
