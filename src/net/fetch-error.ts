/** Why an outbound fetch produced nothing: the contract's skip codes that the network can cause. */
export type FetchFailureCode =
  | 'invalid_url'
  | 'blocked_address'
  | 'blocked_port'
  | 'dns_failed'
  | 'connect_failed'
  | 'timeout'
  | 'http_error'
  | 'too_many_redirects'
  | 'too_large';

/**
 * An expected failure of an outbound request: the source, the network or our policy said no.
 * The message is for end users. Anything else thrown by the client is a bug.
 */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  constructor(
    readonly code: FetchFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
