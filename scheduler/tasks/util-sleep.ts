import { z } from 'zod';
import { defineTask } from '../task';

export const utilSleep = defineTask({
  name: 'util.sleep',
  title: 'Sleep',
  description: 'Waits the given number of milliseconds; stops early when the run is aborted (timeout, shutdown).',
  args: z.strictObject({
    ms: z.number().int('Use whole milliseconds.').min(0).max(86_400_000).describe('How long to wait, in milliseconds.'),
  }),
  async run({ ms }, ctx) {
    await new Promise<void>((resolve, reject) => {
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      const timer = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    return { sleptMs: ms };
  },
});
