import { expect, test, type Page } from '@playwright/test';
import { readJob, seedJob, signIn } from './helpers';

/**
 * Per-job policy through the form: coalesce, retries with backoff, jitter and the trigger's
 * start/end window, sent to the API, pre-filled when editing, shown on the job page.
 * The e2e server's default zone is UTC, so a datetime-local wall time is a UTC time here.
 */

const DAY = 86_400_000;

/** "YYYY-MM-DDTHH:mm" (a datetime-local value) of a UTC instant. */
function utcWall(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The next midnight UTC after now (ms). */
function nextUtcMidnight(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
}

async function openAdvanced(page: Page) {
  const details = page.locator('details', { has: page.locator('summary', { hasText: 'Advanced' }) });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await expect(page.getByLabel('Retries', { exact: true })).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('policy options and trigger window: create, pre-filled edit, clearing retries', async ({ page, request }) => {
  // A daily midnight cron with the window ending at noon two days after the next midnight: exactly 3 runs.
  const end = nextUtcMidnight() + 2 * DAY + 12 * 3_600_000;
  const endWall = utcWall(end);

  await page.goto('/jobs/new');
  await page.getByLabel('Id').fill('e2e-policy');
  await page.getByLabel('Name').fill('Policy job');
  await page.getByLabel('Task').selectOption('log.message');
  await page.getByLabel('message').fill('policy run');
  await page.getByRole('radio', { name: 'Cron' }).check();
  await page.getByLabel('Cron expression').fill('0 0 * * *');

  await openAdvanced(page);
  const coalesce = page.getByLabel('Coalesce missed fires');
  await expect(coalesce).toBeChecked();
  await coalesce.uncheck();
  await page.getByLabel('Retries', { exact: true }).fill('2');
  await page.getByLabel('Retry backoff').fill('500');
  await page.getByLabel('Jitter').fill('1000');
  await page.getByLabel('Window end').fill(endWall);

  // The preview honours the window: only the 3 midnights before the end (a header row plus 3).
  const preview = page.getByRole('region', { name: 'Schedule preview' });
  await expect(preview.getByRole('table').getByRole('row')).toHaveCount(4);

  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/e2e-policy$/);

  const created = (await readJob(request, 'e2e-policy')) as {
    options: Record<string, unknown>;
    trigger: Record<string, unknown>;
  };
  expect(created.options).toMatchObject({ coalesce: false, retries: { max: 2, backoffMs: 500 } });
  expect(created.trigger).toMatchObject({ type: 'cron', expression: '0 0 * * *', jitterMs: 1000 });
  expect(Date.parse(String(created.trigger.endAt))).toBe(end);
  expect(created.trigger.startAt ?? null).toBeNull();

  // The job page shows the policy.
  await expect(page.getByText('2 retries, backoff 500 ms doubling')).toBeVisible();
  await expect(page.getByText('up to 1 s')).toBeVisible();

  // Edit: the Advanced section opens by itself, with every field pre-filled.
  await page.goto('/jobs/e2e-policy/edit');
  const retries = page.getByLabel('Retries', { exact: true });
  await expect(retries).toBeVisible();
  await expect(retries).toHaveValue('2');
  await expect(page.getByLabel('Retry backoff')).toHaveValue('500');
  await expect(page.getByLabel('Coalesce missed fires')).not.toBeChecked();
  await expect(page.getByLabel('Jitter')).toHaveValue('1000');
  await expect(page.getByLabel('Window end')).toHaveValue(endWall);
  await expect(page.getByLabel('Window start')).toHaveValue('');

  await retries.fill('0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/jobs\/e2e-policy$/);
  const edited = (await readJob(request, 'e2e-policy')) as typeof created;
  expect(edited.options.retries).toBeNull();
  expect(edited.options.coalesce).toBe(false);
  // The trigger keeps its window and jitter.
  expect(edited.trigger).toEqual(created.trigger);
  await expect(page.getByText('2 retries, backoff 500 ms doubling')).toHaveCount(0);
});

test('editing only the window sends the trigger; an end before the start shows under Window end', async ({ page, request }) => {
  await seedJob(request, {
    id: 'e2e-window',
    name: 'Window job',
    task: 'log.message',
    args: { message: 'window run' },
    trigger: { type: 'interval', every: { hours: 1 } },
  });
  const seeded = (await readJob(request, 'e2e-window')) as { nextRunAt: string; version: number };
  const start = nextUtcMidnight() + 2 * DAY;

  await page.goto('/jobs/e2e-window/edit');
  // Nothing non-default: the section starts closed.
  await expect(page.getByLabel('Retries', { exact: true })).toBeHidden();
  await openAdvanced(page);
  // Only an option changed: the trigger is not sent, so the interval keeps its anchor (same next run).
  await page.getByLabel('Retries', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/jobs\/e2e-window$/);
  const retried = (await readJob(request, 'e2e-window')) as { nextRunAt: string; version: number; options: Record<string, unknown> };
  expect(retried.version).toBe(seeded.version + 1);
  expect(retried.options.retries).toEqual({ max: 1, backoffMs: 1000 });
  expect(retried.nextRunAt).toBe(seeded.nextRunAt);
  await expect(page.getByText('1 retry, backoff 1 s doubling')).toBeVisible();

  await page.goto('/jobs/e2e-window/edit');
  await openAdvanced(page);
  await page.getByLabel('Window start').fill(utcWall(start));
  await page.getByLabel('Window end').fill(utcWall(start - DAY));
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByLabel('Window end')).toHaveAccessibleDescription(/The end must be after the start/);
  await expect(page).toHaveURL(/\/jobs\/e2e-window\/edit$/);

  await page.getByLabel('Window end').fill(utcWall(start + DAY));
  await page.getByLabel('Jitter').fill('250');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/jobs\/e2e-window$/);
  const job = (await readJob(request, 'e2e-window')) as { trigger: Record<string, unknown>; nextRunAt: string };
  expect(job.trigger).toMatchObject({ type: 'interval', every: { hours: 1 }, jitterMs: 250 });
  expect(Date.parse(String(job.trigger.startAt))).toBe(start);
  expect(Date.parse(String(job.trigger.endAt))).toBe(start + DAY);
  // The first fire is the window's start.
  expect(Date.parse(job.nextRunAt)).toBe(start);
  await expect(page.getByText('Window start')).toBeVisible();
});
