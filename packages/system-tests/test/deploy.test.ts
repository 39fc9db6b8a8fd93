// No Docker engine runs here, so the deployment files are checked for what
// matters by reading them: Caddy in front with Let's Encrypt and TLS 1.3 only,
// the services reachable only through it and trusting forwarded headers from
// its address alone, and an environment that the services' own production
// checks accept.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { apiEnv, loadApiConfig } from '@passerelle/api';
import { authEnv, loadAuthConfig } from '@passerelle/auth';
import { workspaceRoot } from '@passerelle/config';
import { loadPortalConfig, portalEnv } from '@passerelle/portal';

const root = workspaceRoot();
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, {
    environment?: Record<string, string>; ports?: string[]; networks?: string[] | Record<string, { ipv4_address?: string }>; volumes?: string[];
    build?: { target: string }; command?: string[]; stop_grace_period?: string; healthcheck?: { test: string[] };
    depends_on?: Record<string, { condition: string }>; cap_drop?: string[]; security_opt?: string[]; logging?: { options?: Record<string, string> };
  }>;
  networks: Record<string, { internal?: boolean; ipam?: { config: { subnet: string }[] } }>;
};
const caddyfile = readFileSync(join(root, 'Caddyfile'), 'utf8');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const { caddy, auth, api, portal, postgres, redis } = compose.services;

/** What compose would pass, with each required `${VAR:?…}` given a plausible value. */
function resolved(environment: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {
    AUTH_DOMAIN: 'auth.example.com', API_DOMAIN: 'api.example.com', PORTAL_DOMAIN: 'portal.example.com', POSTGRES_PASSWORD: 'p', REDIS_PASSWORD: 'r',
    PORTAL_CLIENT_SECRET: 's'.repeat(43), PORTAL_COOKIE_KEY: 'k'.repeat(43),
    SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64url'), COOKIE_KEYS: 'c'.repeat(32),
    SIGNATURE_MASTER_KEY: Buffer.alloc(32, 2).toString('base64url'),
  };
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v).replace(/\$\{(\w+):\?[^}]*\}/g, (_m, name: string) => {
    assert.ok(name in values, `${name} has no test value`);
    return values[name]!;
  })]));
}

test('Caddy is the only published service, on 80 and 443, with a fixed address on the edge network', () => {
  assert.ok(caddy && auth && api && portal && postgres && redis);
  assert.deepEqual(caddy.ports?.map((p) => p.split(' ')[0]).sort(), ['443:443', '443:443/udp', '80:80'], 'HTTP/3, which Caddy advertises, needs UDP 443');
  for (const service of [auth, api, portal, postgres, redis]) assert.equal(service.ports, undefined);
  const caddyAddress = (caddy.networks as Record<string, { ipv4_address?: string }>)['edge']?.ipv4_address;
  assert.equal(caddyAddress, '172.30.0.2');
  assert.equal(compose.networks['edge']?.ipam?.config[0]?.subnet, '172.30.0.0/24');
  assert.equal(compose.networks['backend']?.internal, true);
  assert.deepEqual(postgres.networks, ['backend']);
  assert.deepEqual(redis.networks, ['backend']);
  assert.ok(caddy.volumes?.some((v) => v.endsWith(':/data')), 'certificates persist across restarts');
});

test('the services trust forwarded headers from Caddy\'s address only, and pass their own production checks', () => {
  for (const [service, schema, load] of [[auth!, authEnv, loadAuthConfig], [api!, apiEnv, loadApiConfig], [portal!, portalEnv, loadPortalConfig]] as const) {
    const env = resolved(service.environment ?? {});
    assert.equal(env['TRUSTED_PROXIES'], '172.30.0.2');
    assert.equal(env['NODE_ENV'], 'production');
    const known = new Set(Object.keys(schema.shape));
    for (const name of Object.keys(env)) assert.ok(known.has(name), `${name} is not a variable of the service`);
    const config = load(env);
    assert.equal(config.issuer, 'https://auth.example.com');
    assert.deepEqual(config.transport.trustedProxies, ['172.30.0.2']);
    assert.equal(config.transport.tls, undefined, 'TLS ends at Caddy');
  }
});

test('the Caddyfile gets Let\'s Encrypt certificates for both domains, TLS 1.3 only, and proxies to the services\' ports', () => {
  assert.match(caddyfile, /^\s*email \{\$ACME_EMAIL\}/m);
  assert.doesNotMatch(caddyfile, /tls internal|acme_ca .*staging|local_certs/, 'a real, public CA');
  const edge = /\(edge\) \{([\s\S]*?)\n\}/.exec(caddyfile)?.[1] ?? '';
  assert.match(edge, /tls \{\s*protocols tls1\.3\s*\}/);
  assert.match(edge, /Strict-Transport-Security "max-age=31536000; includeSubDomains"/);
  for (const [domain, upstream] of [['AUTH_DOMAIN', 'auth:4000'], ['API_DOMAIN', 'api:4001'], ['PORTAL_DOMAIN', 'portal:4002']] as const) {
    const site = new RegExp(`^\\{\\$${domain}\\} \\{([\\s\\S]*?)\\n\\}`, 'm').exec(caddyfile)?.[1] ?? '';
    assert.match(site, /import edge/, `${domain} is TLS 1.3 only`);
    assert.match(site, new RegExp(`reverse_proxy ${upstream}`));
  }
  assert.equal(resolved(auth!.environment ?? {})['AUTH_PORT'], '4000');
  assert.equal(resolved(api!.environment ?? {})['API_PORT'], '4001');
  const portalConfig = loadPortalConfig(resolved(portal!.environment ?? {}));
  assert.equal(portalConfig.port, 4002);
  assert.equal(portalConfig.publicOrigin, 'https://portal.example.com');
  assert.equal(portalConfig.secureCookies, true, 'Secure, __Host- cookies behind Caddy');
  assert.ok(caddy!.volumes?.some((v) => v.startsWith('./Caddyfile:/etc/caddy/Caddyfile')));
});

test('each service image runs its own entry point, and compose waits on the health each image reports', () => {
  for (const [name, service, portVariable] of [['auth', auth!, 'AUTH_PORT'], ['api', api!, 'API_PORT'], ['portal', portal!, 'PORTAL_PORT']] as const) {
    const target = service.build?.target;
    assert.equal(target, name);
    const stage = new RegExp(`^FROM base AS ${target}\\n([\\s\\S]*?)(?=^FROM |(?![\\s\\S]))`, 'm').exec(dockerfile)?.[1] ?? '';
    const entry = /^CMD \["node", "--import", "tsx", "([^"]+)"\]$/m.exec(stage)?.[1];
    assert.equal(entry, `apps/${name}/src/main.ts`);
    assert.ok(existsSync(join(root, entry!)), `${entry} exists`);
    // The image's probe asks readiness on the port compose configures.
    assert.match(stage, new RegExp(`HEALTHCHECK .*process\\.env\\.${portVariable}.*/readyz`));
    assert.match(stage, /--start-period=\d+s/, 'the first start (migrations, first signing key) is not counted as failures');
    // SIGTERM drains for SHUTDOWN_TIMEOUT_MS: compose must wait longer before it kills.
    const graceSeconds = Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1]);
    assert.ok(graceSeconds * 1000 > Number(resolved(service.environment ?? {})['SHUTDOWN_TIMEOUT_MS']), `${name} stop_grace_period exceeds SHUTDOWN_TIMEOUT_MS`);
    assert.deepEqual(service.cap_drop, ['ALL']);
    assert.ok(service.security_opt?.includes('no-new-privileges:true'));
  }
  // Migrations: the auth service applies them at start-up (under an advisory lock) before it is healthy;
  // the API starts only after that, and Caddy only once both are healthy.
  assert.equal(auth!.depends_on?.['postgres']?.condition, 'service_healthy');
  assert.equal(api!.depends_on?.['auth']?.condition, 'service_healthy');
  assert.equal(caddy!.depends_on?.['auth']?.condition, 'service_healthy');
  assert.equal(caddy!.depends_on?.['api']?.condition, 'service_healthy');
  assert.equal(portal!.depends_on?.['auth']?.condition, 'service_healthy');
  assert.equal(caddy!.depends_on?.['portal']?.condition, 'service_healthy');
  assert.ok(postgres!.healthcheck?.test.join(' ').includes('pg_isready'));
  assert.ok(redis!.healthcheck?.test.join(' ').includes('PONG'));
  for (const [name, service] of Object.entries(compose.services)) assert.ok(service.logging?.options?.['max-size'], `${name}'s logs are rotated`);
});

test('Redis keeps what a restart must not lose: revocations, sessions, grants, refresh tokens', () => {
  const args = redis!.command ?? [];
  assert.equal(args[args.indexOf('--appendonly') + 1], 'yes');
  assert.ok(redis!.volumes?.some((v) => v.endsWith(':/data')));
});

test('every variable compose requires is described in the README and in its .env example', () => {
  const required = new Set([...composeText.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!));
  const example = /cat > \.env <<EOF\n([\s\S]*?)\nEOF/.exec(readme)?.[1] ?? '';
  assert.ok(required.size >= 8);
  for (const name of required) {
    assert.match(example, new RegExp(`^${name}=`, 'm'), `${name} is missing from the README's .env`);
    assert.match(readme, new RegExp(`^\\| \`${name}\` \\| \\S`, 'm'), `${name} is not described in the README`);
  }
});
