// The parts of @ethereum-sourcify/lib-sourcify the verify checks use, imported from their own
// modules. The package's index (3.4.0) ends with `export * from "@ethereum-sourcify/compilers-types"`,
// a package it lists only as a dev dependency, so npm does not install it and importing the index
// fails with "Cannot find module '@ethereum-sourcify/compilers-types'". The modules below do not
// need it at run time (it only holds types, which resolve to `any` here).
export { SolidityCompilation } from "@ethereum-sourcify/lib-sourcify/build/main/Compilation/SolidityCompilation.js";
export { findAuxdatasInLegacyAssembly } from "@ethereum-sourcify/lib-sourcify/build/main/Compilation/auxdataUtils.js";
export type { ISolidityCompiler } from "@ethereum-sourcify/lib-sourcify/build/main/Compilation/CompilationTypes.js";
export { CompilationError } from "@ethereum-sourcify/lib-sourcify/build/main/Compilation/CompilationTypes.js";
export { Verification } from "@ethereum-sourcify/lib-sourcify/build/main/Verification/Verification.js";
export { VerificationError } from "@ethereum-sourcify/lib-sourcify/build/main/Verification/VerificationTypes.js";
export type { VerificationStatus } from "@ethereum-sourcify/lib-sourcify/build/main/Verification/VerificationTypes.js";
export { SourcifyChain } from "@ethereum-sourcify/lib-sourcify/build/main/SourcifyChain/SourcifyChain.js";
export { SourcifyLibError } from "@ethereum-sourcify/lib-sourcify/build/main/SourcifyLibError.js";
export { setLogger as setLibSourcifyLogger } from "@ethereum-sourcify/lib-sourcify/build/main/logger.js";
