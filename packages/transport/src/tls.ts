// TLS 1.3 only (seeds: "TLS 1.3"): a ClientHello that cannot do 1.3 is refused
// with a protocol alert. The certificate is re-read when its files change, as a
// Let's Encrypt renewal does, and applied with setSecureContext: connections
// made after that see the new certificate, open ones keep theirs. A renewal that
// does not load (unreadable, garbage, key not matching the certificate) is
// refused and logged; the server keeps serving the certificate it has.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Logger } from '@passerelle/log';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export const tlsVersions = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const;

/** Reads and checks the pair; throws when it would not make a working context. */
export function loadCertificate({ certFile, keyFile }: CertificateFiles): SecureContextOptions & { fingerprint: string } {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  const options = { ...tlsVersions, cert, key };
  createSecureContext(options); // throws on a bad PEM or a key that is not the certificate's
  const fingerprint = createHash('sha256').update(cert).update(key).digest('hex');
  return { ...options, fingerprint };
}

export interface CertificateWatch {
  /** Checks the files now (the timer calls this too). */
  check(): void;
  stop(): void;
}

export function watchCertificate(
  files: CertificateFiles,
  current: string,
  apply: (options: SecureContextOptions) => void,
  { intervalMs, log }: { intervalMs: number; log: Logger },
): CertificateWatch {
  let fingerprint = current;
  let failing: string | undefined;
  const check = () => {
    let next;
    try {
      next = loadCertificate(files);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (failing !== reason) log.error({ event: 'tls.reload_failed', err, certFile: files.certFile }, 'certificate files changed but do not load: kept the current certificate');
      failing = reason;
      return;
    }
    failing = undefined;
    if (next.fingerprint === fingerprint) return;
    const { fingerprint: nextFingerprint, ...options } = next;
    apply(options);
    fingerprint = nextFingerprint;
    log.info({ event: 'tls.reloaded', certFile: files.certFile }, 'certificate reloaded');
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
