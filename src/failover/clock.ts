// Time as a dependency, so waits are abortable and tests never really sleep.

export interface Clock {
  now(): number;
  /** Resolves after ms, or early (never rejecting) when signal aborts; callers check signal.aborted. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

function sleepReal(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep: sleepReal };
