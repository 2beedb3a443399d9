// When the outbox tries a failed delivery again and when it gives up: a plain rule, testable without a clock or a server.

/** Attempts before a message is marked 'failed': with the delays below, about two days of trying. */
export const MAX_DELIVERY_ATTEMPTS = 8;

// Short first waits ride out a mail server restart; long later ones ride out an outage without hammering it.
const RETRY_DELAYS_SECONDS = [60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60];
const LONGEST_RETRY_DELAY_SECONDS = 24 * 60 * 60;

/** How long to wait after the given attempt (1 for the first) failed. */
export function retryDelaySeconds(failedAttempt: number): number {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) throw new RangeError(`failedAttempt must be a positive integer, not ${failedAttempt}`);
  return RETRY_DELAYS_SECONDS[failedAttempt - 1] ?? LONGEST_RETRY_DELAY_SECONDS;
}

/** Whether a message whose latest attempt failed should be given up rather than retried. */
export function hasNoAttemptsLeft(attemptsMade: number, maxAttempts: number = MAX_DELIVERY_ATTEMPTS): boolean {
  return attemptsMade >= maxAttempts;
}
