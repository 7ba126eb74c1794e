import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { seedJob, signIn } from './helpers';

const FAILING = { id: 'e2e-ov-failing', name: 'Overview failing ping' };
const HEALTHY = { id: 'e2e-ov-healthy', name: 'Overview heartbeat' };

test.beforeAll(async ({ request }) => {
  await seedJob(request, {
    ...FAILING,
    task: 'http.request',
    // Port 9 (discard) is closed here: every run fails at once with a connection error.
    args: { method: 'GET', url: 'http://127.0.0.1:9/' },
    trigger: { type: 'interval', every: { seconds: 1 } },
  });
  await seedJob(request, { ...HEALTHY, task: 'log.message', args: { message: 'tick' }, trigger: { type: 'interval', every: { seconds: 1 } } });
});

test.afterAll(async ({ request }) => {
  for (const { id } of [FAILING, HEALTHY]) {
    await request.delete(`/api/jobs/${id}`, { headers: { Authorization: `Bearer ${E2E_TOKEN}` } });
  }
});

test('the overview shows counts, recent failures, upcoming runs and instances, and leads to the job page charts', async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  // Jobs by state: tiles that link to the filtered jobs table.
  const states = page.getByRole('region', { name: 'Jobs by state' });
  await expect(states.getByRole('link', { name: /^\d+ All jobs$/ })).toBeVisible();
  const active = states.getByRole('link', { name: /^\d+ Active$/ });
  await expect(active).toHaveAttribute('href', '/jobs?state=active');
  expect(Number((await active.textContent())?.match(/\d+/)?.[0])).toBeGreaterThanOrEqual(2);

  // The last 24 hours by status, as numbers (the page refreshes itself while the jobs run).
  const lastDay = page.getByRole('region', { name: 'Last 24 hours' }).getByRole('list', { name: 'Executions in the last 24 hours by status' });
  await expect(lastDay.getByRole('listitem').filter({ hasText: 'Succeeded' })).toHaveText(/Succeeded\s*[1-9][\d,]*/, { timeout: 20_000 });
  await expect(lastDay.getByRole('listitem').filter({ hasText: 'Failed' })).toHaveText(/Failed\s*[1-9][\d,]*/, { timeout: 20_000 });

  // Upcoming runs: relative time, the exact instant on hover.
  const upcoming = page.getByRole('table', { name: 'Upcoming runs' });
  const healthyRow = upcoming.getByRole('row').filter({ has: page.getByRole('link', { name: HEALTHY.name }) });
  await expect(healthyRow).toBeVisible();
  await expect(healthyRow.locator('time')).toHaveAttribute('title', /UTC/);
  await expect(healthyRow.getByRole('cell').nth(1)).toHaveText(/second/i);

  // Scheduler instances, reused from the jobs page.
  await expect(page.getByRole('region', { name: 'Scheduler instances' })).toBeVisible();

  // Recent failures link to their job's page.
  const failures = page.getByRole('table', { name: 'Recent failures' });
  const failureRow = failures.getByRole('row').filter({ has: page.getByRole('link', { name: FAILING.name }) }).first();
  await expect(failureRow).toBeVisible({ timeout: 20_000 });
  await expect(failureRow).toContainText('Failed');

  await page.screenshot({ path: 'test-results/screenshots/overview.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/screenshots/overview-narrow.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await failureRow.getByRole('link', { name: FAILING.name }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${FAILING.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: FAILING.name })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Execution history' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Next runs' })).toBeVisible();

  // The charts, each a figure with a summary and a data table as its text alternative.
  const charts = page.getByRole('region', { name: 'Charts' });
  const durations = charts.getByRole('figure', { name: /Duration over time/ });
  await expect(durations).toContainText(/finished runs?: median/);
  await expect(durations.locator('svg.recharts-surface').first()).toBeVisible();
  const durationTable = durations.getByRole('table', { name: 'Duration over time' });
  await expect(durationTable.getByRole('row').filter({ hasText: 'Failed' }).first()).toBeAttached();

  const daily = charts.getByRole('figure', { name: /Executions per day/ });
  await expect(daily).toContainText(/each day a UTC day: [\d,]+ succeeded, [1-9][\d,]* failed/);
  await expect(daily.locator('svg.recharts-surface').first()).toBeVisible();
  // A header row and one row a day for 14 days.
  await expect(daily.getByRole('table', { name: 'Executions per day (UTC)' }).getByRole('row')).toHaveCount(15);

  await page.screenshot({ path: 'test-results/screenshots/job-charts.png', fullPage: true });
});
