export { createPortalService, type PortalService, type PortalDependencies } from './service.ts';
export { portalEnv, loadPortalConfig, type PortalConfig } from './config.ts';
