// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {IntentSystemConfig as Config, IntentSystemHandler} from "./handlers/IntentSystemHandler.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IIntentVerifier} from "../../../contracts/interfaces/IIntentVerifier.sol";
import {ISolverRegistry} from "../../../contracts/interfaces/ISolverRegistry.sol";
import {INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER} from "../../../contracts/libraries/IntentTypes.sol";
import {FeeOnTransferToken} from "../../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../../contracts/test/MockERC20.sol";

/**
 * @title IntentSystemDeployment
 * @notice The system every invariant campaign drives: a SolverRegistry wired to an
 * IntentVerifier, configured by {IntentSystemConfig}, with three tokens. Shared by
 * {IntentSystemInvariantTest} and the fuzz specs (specs/fuzz/IntentSystemSpec.sol), so both check
 * their properties against the same deployment.
 */
abstract contract IntentSystemDeployment is Test {
    /// @dev The base handler's actions; a campaign's selector list starts with these.
    uint256 internal constant HANDLER_ACTIONS = 11;

    IIntentVerifier internal verifier;
    ISolverRegistry internal registry;

    /// @dev Deploys and configures the system at a fixed time; the handler is the caller's.
    function _deploySystem()
        internal
        returns (MockERC20 stake, MockERC20 tokenA, MockERC20 tokenB, FeeOnTransferToken feeToken)
    {
        vm.warp(1_700_000_000);
        stake = new MockERC20("Stake", "STK");
        tokenA = new MockERC20("Token A", "TKA");
        tokenB = new MockERC20("Token B", "TKB");
        feeToken = new FeeOnTransferToken(100);
        registry = ISolverRegistry(
            _deploy(
                "SolverRegistry",
                abi.encode(
                    IERC20(address(stake)),
                    address(this),
                    uint48(0),
                    Config.MIN_BOND,
                    Config.UNBONDING,
                    Config.TREASURY
                )
            )
        );
        verifier = IIntentVerifier(_deploy("IntentVerifier", abi.encode(registry, address(this), uint48(0))));
        registry.setVerifier(address(verifier));
        registry.setClaimRateLimit(Config.CLAIM_LIMIT, Config.CLAIM_WINDOW);
        registry.setMaxActiveClaims(Config.MAX_ACTIVE_CLAIMS);
        registry.setSlashing(Config.SLASH_AMOUNT, Config.SLASH_USER_SHARE_BPS, Config.TREASURY);
        verifier.setUserRateLimit(Config.USER_LIMIT, Config.USER_WINDOW);
        verifier.setGlobalRateLimit(Config.GLOBAL_LIMIT, Config.GLOBAL_WINDOW);
        verifier.setTimings(Config.MAX_TTL, Config.CLAIM_TTL);
        // Transfers use the plain tokens (a fee token could never meet a transfer's amount);
        // swaps use all three.
        verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, address(tokenA), true, 1, Config.MAX_AMOUNT);
        verifier.setTokenPolicy(INTENT_TYPE_TRANSFER, address(tokenB), true, 1, Config.MAX_AMOUNT);
        verifier.setTokenPolicy(INTENT_TYPE_SWAP, address(tokenA), true, 1, Config.MAX_AMOUNT);
        verifier.setTokenPolicy(INTENT_TYPE_SWAP, address(tokenB), true, 1, Config.MAX_AMOUNT);
        verifier.setTokenPolicy(INTENT_TYPE_SWAP, address(feeToken), true, 1, Config.MAX_AMOUNT);
    }

    /// @dev Makes `handler` the campaign's only target, calling the base handler's actions and
    /// then `extra` (a handler's own actions). The handler reinstates suspended solvers, so it
    /// gets the guardian role.
    function _targetHandler(IntentSystemHandler handler, bytes4[] memory extra) internal {
        IAccessControl(address(registry)).grantRole(registry.GUARDIAN_ROLE(), address(handler));
        bytes4[] memory selectors = new bytes4[](HANDLER_ACTIONS + extra.length);
        selectors[0] = IntentSystemHandler.submitTransfer.selector;
        selectors[1] = IntentSystemHandler.submitBurst.selector;
        selectors[2] = IntentSystemHandler.submitSwap.selector;
        selectors[3] = IntentSystemHandler.cancel.selector;
        selectors[4] = IntentSystemHandler.expire.selector;
        selectors[5] = IntentSystemHandler.claim.selector;
        selectors[6] = IntentSystemHandler.fulfill.selector;
        selectors[7] = IntentSystemHandler.claimAndFulfill.selector;
        selectors[8] = IntentSystemHandler.failClaim.selector;
        selectors[9] = IntentSystemHandler.solverBond.selector;
        selectors[10] = IntentSystemHandler.warp.selector;
        for (uint256 i = 0; i < extra.length; i++) selectors[HANDLER_ACTIONS + i] = extra[i];
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Most timestamps of the sorted `times` inside one closed interval `[t - window, t]`.
    function _mostInAnyWindow(uint256[] memory times, uint256 window) internal pure returns (uint256 most) {
        uint256 lo;
        for (uint256 hi = 0; hi < times.length; hi++) {
            while (times[lo] + window < times[hi]) lo++;
            if (hi - lo + 1 > most) most = hi - lo + 1;
        }
    }
}
