// The store's one typed failure: its backend cannot be reached at start-up.
// Apps stop with this message instead of serving requests that would all fail.

export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
