// Waiting for something the app does in the background (a job, a webhook), by polling a probe
// and yielding to the event loop between tries: no fixed sleeps.
/** Polls until probe answers something, yielding to the event loop between tries. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
