// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IIntentValidator
 * @notice An optional, pluggable validator per intent type, set on {IntentVerifier} by its
 * validator admin. The verifier's built-in rules for the type always run; a plugged validator
 * adds its own checks on top (the pattern of UniswapX's additional validation contract).
 * @dev The verifier calls {validateParams} in its second validation stage, after the built-in
 * type rules, and {checkBusinessRules} in its fourth, after the token policy. Both revert with
 * the validator's own custom errors; neither may change state.
 */
interface IIntentValidator {
    /// @notice The intent type this validator speaks for.
    function intentType() external view returns (uint8);

    /// @notice Reverts unless the intent of `user` with `params` passes this validator's
    /// type-specific checks.
    /// @param user the intent's user
    /// @param params the ABI-encoded type-specific parameters
    function validateParams(address user, bytes calldata params) external view;

    /// @notice Reverts unless the intent of `user` with `params` passes this validator's
    /// business rules.
    /// @param user the intent's user
    /// @param params the ABI-encoded type-specific parameters
    function checkBusinessRules(address user, bytes calldata params) external view;
}
