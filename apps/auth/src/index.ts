export { createAuthService, type AuthService, type AuthDependencies } from './service.ts';
export { authEnv, loadAuthConfig, type AuthConfig } from './config.ts';
