/**
 * Next calls register() once per server process. The scheduler is imported dynamically and only
 * in the Node.js runtime, so mysql2 never reaches the edge bundle.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startOrExit } = await import('./scheduler');
  await startOrExit();
}
