import { parseEnv, sharedEnv, transportEnv, transportOf, z, type TransportSettings } from '@passerelle/config';

/** The transport as a service would configure it from `env` (defaults otherwise). */
export function settingsFrom(env: Record<string, string> = {}): TransportSettings {
  return transportOf(parseEnv(z.object({ ...sharedEnv, ...transportEnv }), env));
}
