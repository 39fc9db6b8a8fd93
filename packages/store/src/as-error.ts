// Subscriber callbacks and drivers can throw anything; onError takes an Error.
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
