// Self-signed certificates made for the test that uses them (openssl CLI):
// P-256, valid for localhost and 127.0.0.1, the common name telling them apart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateDir {
  certFile: string;
  keyFile: string;
  /** Writes a fresh certificate and key for `commonName` over the files (atomically, as certbot does); returns the PEM. */
  issue(commonName: string): string;
  remove(): void;
}

export function certificateDir(): CertificateDir {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-tls-'));
  const certFile = join(dir, 'fullchain.pem');
  const keyFile = join(dir, 'privkey.pem');
  let serial = 0;
  return {
    certFile,
    keyFile,
    issue(commonName) {
      serial += 1;
      const cert = join(dir, `cert-${serial}.pem`);
      const key = join(dir, `key-${serial}.pem`);
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${commonName}`,
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ], { stdio: 'ignore' });
      renameSync(key, keyFile);
      renameSync(cert, certFile);
      return readFileSync(certFile, 'utf8');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function writeGarbage(path: string): void {
  writeFileSync(path, '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
}
