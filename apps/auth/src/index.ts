export { createAuthService, type AuthService, type AuthDependencies } from './service.ts';
export { authEnv, loadAuthConfig, type AuthConfig } from './config.ts';
export { clientChangeHooks, type ClientChangeHookOptions } from './client-revoker.ts';
export { purgeClientArtifacts } from './adapter.ts';
export { adminRoutes, signingKeyRoutes, userRoutes, ADMIN_PREFIX } from './admin/index.ts';
