/** Polls `read` until `done` holds for its result, or fails after `timeoutMs` with the last result shown. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value, null, 2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
