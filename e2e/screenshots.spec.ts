import { expect, test } from '@playwright/test';
import { seedJob, signIn } from './helpers';

// Screenshots of the three pages, for people to look at (test-results/screenshots/).
test('screenshots of the jobs table, the form and a job page', async ({ page, request }) => {
  await seedJob(request, { id: 'shot-nightly', name: 'Nightly report', task: 'http.request', args: { method: 'POST', url: 'http://127.0.0.1:9/report' }, trigger: { type: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' } });
  await seedJob(request, { id: 'shot-heartbeat', name: 'Heartbeat', task: 'log.message', args: { message: 'tick' }, trigger: { type: 'interval', every: { seconds: 5 } } });
  await seedJob(request, { id: 'shot-paused', name: 'Paused cleanup', task: 'util.sleep', args: { ms: 50 }, trigger: { type: 'cron', expression: '0 */6 * * *' }, paused: true });
  await signIn(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.goto('/jobs');
  await expect(page.getByRole('table', { name: 'Jobs' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/jobs.png', fullPage: true });

  await page.goto('/jobs/new');
  await page.getByLabel('Task').selectOption('http.request');
  await page.getByRole('radio', { name: 'Cron' }).check();
  await page.getByLabel('Cron expression').fill('0 9 * * 1-5');
  await expect(page.getByTestId('schedule-words')).toContainText(/09:00/);
  await page.screenshot({ path: 'test-results/screenshots/new-job.png', fullPage: true });

  await page.goto('/jobs/shot-heartbeat');
  await expect(page.getByRole('table', { name: 'Execution history' }).getByText('succeeded').first()).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: 'test-results/screenshots/job.png', fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/jobs');
  await page.screenshot({ path: 'test-results/screenshots/jobs-narrow.png', fullPage: true });
});
