import { expect, test } from '@playwright/test';
import { jobRow, readExecutions, readJob, seedJob, signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('create a job through the form and see it run in its history', async ({ page, request }) => {
  await page.goto('/jobs/new');
  await page.getByLabel('Id').fill('e2e-form-job');
  await page.getByLabel('Name').fill('Form-made heartbeat');
  await page.getByLabel('Task').selectOption('log.message');
  await page.getByLabel('message').fill('hello from the form');
  await page.getByRole('radio', { name: 'Cron' }).check();
  await page.getByLabel('Cron expression').fill('*/2 * * * * *');
  const preview = page.getByRole('region', { name: 'Schedule preview' });
  await expect(preview.getByTestId('schedule-words')).toContainText(/every 2 seconds/i);
  // A header row plus the next 5 runs.
  await expect(preview.getByRole('table').getByRole('row')).toHaveCount(6);
  await page.getByRole('button', { name: 'Create job' }).click();

  await expect(page).toHaveURL(/\/jobs\/e2e-form-job$/);
  await expect(page.getByRole('heading', { name: 'Form-made heartbeat' })).toBeVisible();
  const history = page.getByRole('table', { name: 'Execution history' });
  await expect(history.getByText('succeeded').first()).toBeVisible({ timeout: 20_000 });
  const runs = await readExecutions(request, 'e2e-form-job');
  expect(runs.some((r) => r.status === 'succeeded')).toBe(true);
  await page.getByRole('button', { name: 'Details' }).first().click();
  await expect(page.getByText('hello from the form').first()).toBeVisible();
});

test('a bad cron expression shows a field error and creates nothing', async ({ page, request }) => {
  await page.goto('/jobs/new');
  await page.getByLabel('Id').fill('e2e-bad-cron');
  await page.getByLabel('Task').selectOption('log.message');
  await page.getByLabel('message').fill('never');
  await page.getByRole('radio', { name: 'Cron' }).check();
  await page.getByLabel('Cron expression').fill('61 * * * *');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByText(/Invalid value for minute/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/jobs\/new$/);
  expect(await readJob(request, 'e2e-bad-cron')).toBeNull();
});

test('pause, resume, run now and delete through the buttons', async ({ page, request }) => {
  const job = await seedJob(request, {
    id: 'e2e-buttons',
    name: 'Button target',
    task: 'log.message',
    args: { message: 'button run' },
    trigger: { type: 'interval', every: { hours: 1 } },
  });
  await page.goto(`/jobs?q=${job.id}`);
  const row = jobRow(page, 'Button target');
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: 'Pause' }).click();
  await expect(row.getByText('paused')).toBeVisible();
  expect((await readJob(request, job.id))?.state).toBe('paused');

  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(row.getByText('active')).toBeVisible();
  expect((await readJob(request, job.id))?.state).toBe('active');

  await row.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /queued|run/i })).toBeVisible();
  await expect(async () => {
    const runs = await readExecutions(request, job.id);
    expect(runs.filter((r) => r.kind === 'manual' && r.status === 'succeeded')).toHaveLength(1);
  }).toPass({ timeout: 15_000 });

  await row.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Button target');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  expect(await readJob(request, job.id)).toBeNull();
});
