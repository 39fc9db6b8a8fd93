// @passerelle/accounts: end users. Creation, sign-in with abuse limits, and
// password change, with Argon2id password hashes and an audit trail.
export { createAccounts, type Accounts, type AccountsOptions, type AttemptContext, type SignInRefusal, type SignInResult, type UserView } from './accounts.ts';
export { hashPassword, verifyPassword, passwordHashing } from './password.ts';
export { defaultSignInLimits, type SignInLimits, type SignInLock, type Limit } from './throttle.ts';
export {
  createUserInput, changePasswordInput, userListInput, resetPasswordInput,
  type CreateUserInput, type ChangePasswordInput, type UserListInput, type ResetPasswordInput,
} from './inputs.ts';
