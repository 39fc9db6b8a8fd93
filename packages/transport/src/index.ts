export { serve, type Listening, type ServeOptions } from './server.ts';
export { createProbes, probePaths, type DependencyCheck, type Probes, type Readiness } from './probes.ts';
export { createProxyTrust, type ProxyTrust } from './proxy-trust.ts';
export { httpsOriginOf } from './redirect.ts';
export { hstsValue, type HstsOptions } from './hsts.ts';
export { loadCertificate, tlsVersions, type CertificateFiles } from './tls.ts';
export { runService, type RunningService } from './process.ts';
