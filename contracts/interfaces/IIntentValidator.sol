// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IIntentValidator
 * @notice Type-specific validation plugged into {IntentVerifier}, one validator per intent type.
 * @dev The verifier calls {validateParams} in its second validation stage and
 * {checkBusinessRules} in its fourth, after its own security checks. Both revert with the
 * validator's own custom errors; neither may change state.
 */
interface IIntentValidator {
    /// @notice The intent type this validator speaks for.
    function intentType() external view returns (uint8);

    /// @notice Reverts unless `params` is a well-formed encoding for this intent type.
    /// @param params the ABI-encoded type-specific parameters of an intent
    function validateParams(bytes calldata params) external view;

    /// @notice Reverts unless `params` respects the per-type bounds (allowed tokens, amounts).
    /// @param params the ABI-encoded type-specific parameters of an intent
    function checkBusinessRules(bytes calldata params) external view;
}
