import { z } from 'zod';
import { defineTask } from '../task';

export const logMessage = defineTask({
  name: 'log.message',
  title: 'Log a message',
  description: 'Writes a message to the execution log (and the server log). Handy for testing schedules.',
  args: z.strictObject({
    message: z.string().min(1, 'Enter a message.').max(10_000).describe('The text to log.'),
    level: z.enum(['info', 'warn', 'error']).optional().describe('Log level (default info).'),
  }),
  run({ message, level = 'info' }, ctx) {
    ctx.log[level](message);
    return { logged: message.length > 200 ? `${message.slice(0, 200)}…` : message };
  },
});
