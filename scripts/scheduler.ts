/** `npm run scheduler`: runs the engine without the web server (same env as the dashboard). */
import { startScheduler } from '../scheduler';

startScheduler({ credentials: false }).catch((err: unknown) => {
  console.error('[cronboard] could not start the scheduler:', err instanceof Error ? err.message : err);
  process.exit(1);
});
