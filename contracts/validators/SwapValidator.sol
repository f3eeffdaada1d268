// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIntentValidator} from "../interfaces/IIntentValidator.sol";
import {INTENT_TYPE_SWAP, SwapParams} from "../libraries/IntentTypes.sol";
import {TokenPolicy} from "./TokenPolicy.sol";

/**
 * @title SwapValidator
 * @notice Validates swap intents: two different allowed tokens, `amountIn` within the input
 * token's bounds, a non-zero `minAmountOut` and a non-zero `recipient`.
 */
contract SwapValidator is IIntentValidator, TokenPolicy {
    /// @notice Input and output token are the same.
    error SameToken(address token);

    /// @dev abi.encode(SwapParams) is five static words.
    uint256 private constant PARAMS_LENGTH = 160;

    /**
     * @param admin initial default admin and policy admin
     * @param adminDelay delay before a default-admin handover takes effect
     */
    constructor(address admin, uint48 adminDelay) TokenPolicy(admin, adminDelay) {}

    /// @inheritdoc IIntentValidator
    function intentType() external pure returns (uint8) {
        return INTENT_TYPE_SWAP;
    }

    /// @inheritdoc IIntentValidator
    function validateParams(bytes calldata params) external pure {
        _requireLength(params, PARAMS_LENGTH);
        SwapParams memory p = abi.decode(params, (SwapParams));
        if (p.tokenIn == address(0)) revert ZeroAddressParam("tokenIn");
        if (p.tokenOut == address(0)) revert ZeroAddressParam("tokenOut");
        if (p.recipient == address(0)) revert ZeroAddressParam("recipient");
        if (p.tokenIn == p.tokenOut) revert SameToken(p.tokenIn);
        if (p.amountIn == 0) revert ZeroAmountParam("amountIn");
        if (p.minAmountOut == 0) revert ZeroAmountParam("minAmountOut");
    }

    /// @inheritdoc IIntentValidator
    function checkBusinessRules(bytes calldata params) external view {
        SwapParams memory p = abi.decode(params, (SwapParams));
        _checkToken(p.tokenIn, p.amountIn);
        _checkTokenAllowed(p.tokenOut);
    }
}
