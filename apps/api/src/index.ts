export { createApiService, type ApiDependencies, type ApiService } from './service.ts';
export { apiEnv, loadApiConfig, type ApiConfig } from './config.ts';
