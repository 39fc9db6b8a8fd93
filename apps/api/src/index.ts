export { createApiService, type ApiDependencies } from './service.ts';
export { apiEnv, loadApiConfig, type ApiConfig } from './config.ts';
