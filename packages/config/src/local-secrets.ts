// Embedded mode only: the secrets a production deployment passes by environment
// (signing-key encryption key, cookie keys, request-signature master key, the
// portal's client secret and cookie key) are generated once into the data
// folder, readable by the owner only, and reused on every start so tokens and
// keys survive restarts. A file written by an older version gains the secrets
// it lacks; those it has are never replaced.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecrets {
  signingKeyEncryptionKey: string;
  cookieKeys: string[];
  /** SIGNATURE_MASTER_KEY's stand-in: client request-signing keys derive from it. */
  signatureMasterKey: string;
  /** PORTAL_CLIENT_SECRET's stand-in: the portal's consumer-secret at the auth service. */
  portalClientSecret: string;
  /** PORTAL_COOKIE_KEY's stand-in: signs the portal's CSRF tokens. */
  portalCookieKey: string;
}

const key32 = () => randomBytes(32).toString('base64url');

function generate(): LocalSecrets {
  return { signingKeyEncryptionKey: key32(), cookieKeys: [key32()], signatureMasterKey: key32(), portalClientSecret: key32(), portalCookieKey: key32() };
}

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    const completed: LocalSecrets = { ...generate(), ...stored };
    if (Object.keys(completed).every((k) => k in stored)) return completed;
    writeFileSync(`${file}.tmp`, JSON.stringify(completed, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    return completed;
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = generate();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return secrets;
}
