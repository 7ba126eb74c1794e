import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { readExecutions, seedJob, signIn } from './helpers';

const auth = { Authorization: `Bearer ${E2E_TOKEN}` };

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('a concurrent edit gets a clear conflict message, not a silent overwrite', async ({ page, request }) => {
  await seedJob(request, { id: 'e2e-conflict', name: 'Conflict target', task: 'log.message', args: { message: 'v1' }, trigger: { type: 'interval', every: { hours: 1 } } });
  await page.goto('/jobs/e2e-conflict/edit');
  await expect(page.getByLabel('Name')).toHaveValue('Conflict target');

  // Someone else saves a change meanwhile.
  const res = await request.patch('/api/jobs/e2e-conflict', { data: { name: 'Changed elsewhere' }, headers: auth });
  expect(res.status()).toBe(200);

  await page.getByLabel('Name').fill('My change');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(/Someone else changed this job after you opened it/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Reload the job' })).toBeVisible();
  const stored = await (await request.get('/api/jobs/e2e-conflict', { headers: auth })).json();
  expect(stored.name).toBe('Changed elsewhere');
});

test('the job page lists its next 10 runs and filters and pages its history', async ({ page, request }) => {
  const port = 9; // fetch refuses it at once: every run fails quickly
  await seedJob(request, { id: 'e2e-history', name: 'History target', task: 'log.message', args: { message: 'ok' }, trigger: { type: 'interval', every: { hours: 1 } } });
  for (let i = 0; i < 23; i++) {
    expect((await request.post('/api/jobs/e2e-history/run', { headers: auth })).status()).toBe(202);
  }
  await expect(async () => {
    const runs = await readExecutions(request, 'e2e-history');
    expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(23);
  }).toPass({ timeout: 20_000 });
  // One failing run: switch the task to an unreachable URL and run it once more.
  await request.patch('/api/jobs/e2e-history', { data: { task: 'http.request', args: { method: 'GET', url: `http://127.0.0.1:${port}/` } }, headers: auth });
  await request.post('/api/jobs/e2e-history/run', { headers: auth });
  await expect(async () => {
    expect((await readExecutions(request, 'e2e-history')).some((r) => r.status === 'failed')).toBe(true);
  }).toPass({ timeout: 15_000 });

  await page.goto('/jobs/e2e-history');
  await expect(page.getByRole('table', { name: 'Next runs' }).getByRole('row')).toHaveCount(11);
  const history = page.getByRole('table', { name: 'Execution history' });
  await expect(page.getByText('Showing 1–20 of 24 runs')).toBeVisible();

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText('Showing 21–24 of 24 runs')).toBeVisible();

  await page.getByLabel('Status').selectOption('failed');
  await expect(page).toHaveURL(/status=failed/);
  await expect(history.getByRole('row')).toHaveCount(2);
  await history.getByRole('button', { name: /Details/ }).click();
  await expect(page.getByText(/fetch failed/).first()).toBeVisible();
});

test("a job's next run reads 'due now' once its instant passes, and 'overdue' when a minute on no scheduler has moved it", async ({ page, request }) => {
  await seedJob(request, { id: 'e2e-next-run', name: 'Next run target', task: 'log.message', args: { message: 'x' }, trigger: { type: 'interval', every: { hours: 1 } } });
  const job = await (await request.get('/api/jobs/e2e-next-run', { headers: auth })).json();
  // The page's clock only: the server (and its scheduler) keep real time, so the job's next run stays an hour ahead for them.
  await page.clock.install();
  await page.goto('/jobs/e2e-next-run');
  const subtitle = page.locator('.job-subtitle');
  await expect(subtitle).toContainText(/next run in (60 min\.|1 hr\.)/);

  await page.clock.fastForward(new Date(job.nextRunAt).getTime() - Date.now() + 2000);
  await expect(subtitle).toContainText('next run due now');
  await page.clock.fastForward(65_000);
  await expect(subtitle).toContainText('next run overdue, 1 min. ago');
});

test("a job with one finished run: the duration chart shows that run's time once on its axis", async ({ page, request }) => {
  await seedJob(request, { id: 'e2e-one-run', name: 'One run', task: 'log.message', args: { message: 'once' }, trigger: { type: 'interval', every: { hours: 1 } }, paused: true });
  expect((await request.post('/api/jobs/e2e-one-run/run', { headers: auth })).status()).toBe(202);
  await expect.poll(async () => (await readExecutions(request, 'e2e-one-run')).map((e) => e.status), { timeout: 20_000 }).toEqual(['succeeded']);

  await page.goto('/jobs/e2e-one-run');
  const durations = page.getByRole('region', { name: 'Charts' }).getByRole('figure', { name: /Duration over time/ });
  await expect(durations).toContainText('Last 1 finished run: median');
  await expect(durations.locator('svg.recharts-surface').first()).toBeVisible();
  // One tick, at the run (a zero-wide time axis repeated its label, 7 times at this width).
  await expect(durations.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')).toHaveCount(1);
  await durations.screenshot({ path: 'test-results/screenshots/duration-one-run.png' });
  await request.delete('/api/jobs/e2e-one-run', { headers: auth });
});
