/**
 * Next calls register() once per server process. The scheduler is imported dynamically and only
 * in the Node.js runtime, so mysql2 never reaches the edge bundle.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startScheduler } = await import('./scheduler');
  try {
    await startScheduler();
  } catch (err) {
    console.error('[cronboard] could not start:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
