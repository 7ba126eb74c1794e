/** `npm run scheduler`: runs the engine without the web server (same env as the dashboard). */
import { startScheduler } from '../scheduler';

startScheduler({ credentials: false, engineOnly: true })
  .then((engine) => {
    if (!engine) {
      console.log('[cronboard] SCHEDULER_ENABLED=false: a scheduler-only process has nothing to do; exiting.');
      process.exit(0);
    }
  })
  .catch((err: unknown) => {
    console.error('[cronboard] could not start the scheduler:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
