import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { jobRow, readExecutions, readJob, seedJob, signIn } from './helpers';

/**
 * The jobs table: search, filters, sorts and pages in the URL (surviving a reload), bulk actions
 * with their results, and the empty and no-results states. 25 jobs "tbl-01".."tbl-25" are seeded
 * once: job i runs every i hours (so tbl-01 is next), every 5th is paused, every 3rd runs
 * util.sleep, and its name "Table <26 - i>" sorts the other way round.
 */

const auth = { Authorization: `Bearer ${E2E_TOKEN}` };
const pad = (n: number) => String(n).padStart(2, '0');
const name = (i: number) => `Table ${pad(26 - i)}`;

test.beforeAll(async ({ request }) => {
  for (let i = 1; i <= 25; i++) {
    await seedJob(request, {
      id: `tbl-${pad(i)}`,
      name: name(i),
      task: i % 3 === 0 ? 'util.sleep' : 'log.message',
      args: i % 3 === 0 ? { ms: 1 } : { message: `table ${i}` },
      trigger: { type: 'interval', every: { hours: i } },
      paused: i % 5 === 0,
    });
  }
});

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

const table = (page: Page) => page.getByRole('table', { name: 'Jobs' });
/** The data rows (the header row is the first). */
const dataRows = (page: Page) => table(page).getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
const header = (page: Page, label: string) => table(page).getByRole('columnheader', { name: label, exact: true });
const bulkBar = (page: Page) => page.getByRole('region', { name: 'Bulk actions' });

test('search, filters by state, task and last status, all kept in the URL across a reload', async ({ page, request, baseURL }) => {
  await page.goto('/jobs');
  await page.getByLabel('Search jobs').fill('tbl-');
  await expect(page).toHaveURL(/[?&]q=tbl-/);
  await expect(dataRows(page)).toHaveCount(20);
  await expect(page.getByText('25 jobs match the filters')).toBeVisible();

  await page.getByLabel('Search jobs').fill('Table 07');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(jobRow(page, 'Table 07')).toContainText('tbl-19');

  await page.getByLabel('Search jobs').fill('tbl-');
  await page.getByLabel('State', { exact: true }).selectOption('paused');
  await expect(page).toHaveURL(/state=paused/);
  await expect(dataRows(page)).toHaveCount(5);
  await page.getByLabel('Task', { exact: true }).selectOption('util.sleep');
  await expect(page).toHaveURL(/task=util\.sleep/);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page)).toContainText(['tbl-15']);

  await page.reload();
  await expect(page.getByLabel('Search jobs')).toHaveValue('tbl-');
  await expect(page.getByLabel('State', { exact: true })).toHaveValue('paused');
  await expect(page.getByLabel('Task', { exact: true })).toHaveValue('util.sleep');
  await expect(dataRows(page)).toHaveCount(1);
  await page.getByLabel('State', { exact: true }).selectOption('');
  await expect(dataRows(page)).toHaveCount(8);

  // Last status: one job that succeeds, one that fails (an unexpected HTTP status), one never run.
  await seedJob(request, { id: 'last-ok', name: 'Last ok', task: 'log.message', args: { message: 'ok' }, trigger: { type: 'interval', every: { hours: 1 } } });
  const failing = { method: 'GET', url: `${baseURL}/api/health`, expectStatus: 418 };
  await seedJob(request, { id: 'last-bad', name: 'Last bad', task: 'http.request', args: failing, trigger: { type: 'interval', every: { hours: 1 } } });
  await seedJob(request, { id: 'last-never', name: 'Last never', task: 'log.message', args: { message: 'no' }, trigger: { type: 'interval', every: { hours: 1 } } });
  for (const id of ['last-ok', 'last-bad']) expect((await request.post(`/api/jobs/${id}/run`, { headers: auth })).status()).toBe(202);
  await expect(async () => {
    expect((await readJob(request, 'last-ok'))?.lastExecution).toMatchObject({ status: 'succeeded' });
    expect((await readJob(request, 'last-bad'))?.lastExecution).toMatchObject({ status: 'failed' });
  }).toPass({ timeout: 15_000 });

  await page.goto('/jobs?q=last-');
  await expect(dataRows(page)).toHaveCount(3);
  const lastStatus = page.getByLabel('Last status');
  for (const [value, id] of [['failed', 'last-bad'], ['succeeded', 'last-ok'], ['never', 'last-never']]) {
    await lastStatus.selectOption(value);
    await expect(page).toHaveURL(new RegExp(`lastStatus=${value}`));
    await expect(dataRows(page)).toHaveCount(1);
    await expect(dataRows(page)).toContainText([id]);
  }
  await expect(jobRow(page, 'Last never')).toContainText('Never');
  await page.reload();
  await expect(lastStatus).toHaveValue('never');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByLabel('Search jobs')).toHaveValue('');
  await expect(lastStatus).toHaveValue('');
  // The source column, for the job declared in code and one made in the UI. Each is searched for:
  // which page of the default sort (by next run) a job is on depends on the time of day (the
  // declared job runs daily at 03:17 UTC, and just after that it comes after the seeded jobs).
  await page.getByLabel('Search jobs').fill('Prune execution');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(jobRow(page, 'Prune execution history')).toContainText('code');
  await page.getByLabel('Search jobs').fill('last-bad');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(jobRow(page, 'Last bad')).toContainText('UI');
  await expect(jobRow(page, 'Last bad')).toContainText('Failed');
});

test('sorts by name, next run, last run and update, and pages through the jobs', async ({ page }) => {
  await page.goto('/jobs?q=tbl-&pageSize=10');
  const first = dataRows(page).first();
  // Default: next run, soonest first, paused jobs last.
  await expect(header(page, 'Next run')).toHaveAttribute('aria-sort', 'ascending');
  await expect(first).toContainText('tbl-01');
  await expect(page.getByText('Showing 1–10 of 25 jobs')).toBeVisible();

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.getByText('Showing 11–20 of 25 jobs')).toBeVisible();
  await expect(first).toContainText('tbl-13');
  await page.getByRole('button', { name: 'Last page' }).click();
  await expect(page.getByText('Showing 21–25 of 25 jobs')).toBeVisible();
  await expect(dataRows(page)).toHaveCount(5);
  // The last page holds the paused jobs, which have no next run.
  await expect(dataRows(page)).toContainText(['tbl-05', 'tbl-10', 'tbl-15', 'tbl-20', 'tbl-25']);
  await page.getByRole('button', { name: 'First page' }).click();
  await expect(page.getByText('Showing 1–10 of 25 jobs')).toBeVisible();

  await header(page, 'Next run').getByRole('button').click();
  await expect(header(page, 'Next run')).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=-nextRunAt/);
  await expect(first).toContainText('tbl-24');

  await header(page, 'Name').getByRole('button').click();
  await expect(header(page, 'Name')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header(page, 'Next run')).toHaveAttribute('aria-sort', 'none');
  await expect(first).toContainText('Table 01');
  await header(page, 'Name').getByRole('button').click();
  await expect(page).toHaveURL(/sort=-name/);
  await expect(first).toContainText('Table 25');

  // Updated and last run start with the most recent.
  await header(page, 'Updated').getByRole('button').click();
  await expect(header(page, 'Updated')).toHaveAttribute('aria-sort', 'descending');
  await expect(first).toContainText('tbl-25');
  await header(page, 'Last run').getByRole('button').click();
  await expect(header(page, 'Last run')).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=-lastRunAt/);
  await expect(dataRows(page)).toHaveCount(10);

  await header(page, 'Name').getByRole('button').click();
  // (Under the last-run sort, whose jobs never ran, Table 01 is first too: wait for the name sort.)
  await expect(header(page, 'Name')).toHaveAttribute('aria-sort', 'ascending');
  await expect(first).toContainText('Table 01');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/sort=name.*cursor=|cursor=.*sort=name/);
  await page.reload();
  await expect(header(page, 'Name')).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByText('Showing 11–20 of 25 jobs')).toBeVisible();
  await expect(first).toContainText('Table 11');
});

test('pages by cursor: next, previous, last and first, the page number kept in the cursor', async ({ page }) => {
  await page.goto('/jobs?q=tbl-&pageSize=10&sort=name');
  const first = dataRows(page).first();
  await expect(first).toContainText('Table 01');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Showing 11–20 of 25 jobs')).toBeVisible();
  await expect(page.getByText('Page 2 of 3')).toBeVisible();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Showing 21–25 of 25 jobs')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Last page' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByText('Page 2 of 3')).toBeVisible();
  await expect(first).toContainText('Table 11');
  await page.getByRole('button', { name: 'First page' }).click();
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(first).toContainText('Table 01');
  await page.getByRole('button', { name: 'Last page' }).click();
  await expect(page.getByText('Page 3 of 3')).toBeVisible();
  await expect(dataRows(page)).toHaveCount(5);
  await expect(dataRows(page).last()).toContainText('Table 25');
  // Another sort resets the position; a cursor that is not one of ours is reported, page 1 shown.
  await header(page, 'Name').getByRole('button').click();
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(first).toContainText('Table 25');
  await page.goto('/jobs?q=tbl-&pageSize=10&cursor=garbage');
  await expect(page.getByText(/cursor: /)).toBeVisible();
  await expect(page.getByText('Showing 1–10 of 25 jobs')).toBeVisible();
});

test('bulk pause, resume, run now and delete, with confirmation and visible results', async ({ page, request }) => {
  for (const n of ['one', 'two', 'three', 'four']) {
    await seedJob(request, { id: `bulk-${n}`, name: `Bulk ${n}`, task: 'log.message', args: { message: n }, trigger: { type: 'interval', every: { hours: 2 } } });
  }
  await page.goto('/jobs?q=bulk-');
  await expect(dataRows(page)).toHaveCount(4);
  await expect(bulkBar(page)).toBeHidden();

  const selectAll = page.getByRole('checkbox', { name: 'Select all jobs on this page' });
  await selectAll.check();
  await expect(bulkBar(page)).toContainText('4 jobs selected');
  await bulkBar(page).getByRole('button', { name: 'Pause' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Paused 4 jobs.' });
  await expect(done).toBeFocused();
  await expect(bulkBar(page)).toBeHidden();
  for (const n of ['one', 'two', 'three', 'four']) expect((await readJob(request, `bulk-${n}`))?.state).toBe('paused');

  await selectAll.check();
  await bulkBar(page).getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Resumed 4 jobs.' })).toBeFocused();
  await expect(dataRows(page).filter({ hasText: 'Paused' })).toHaveCount(0);

  // The selection survives the live refresh (here made visible by a change through the API).
  await page.getByRole('checkbox', { name: 'Select Bulk one' }).check();
  await page.getByRole('checkbox', { name: 'Select Bulk two' }).check();
  await expect(bulkBar(page)).toContainText('2 jobs selected');
  await request.post('/api/jobs/bulk-three/pause', { headers: auth });
  await expect(jobRow(page, 'Bulk three')).toContainText('Paused', { timeout: 15_000 });
  await expect(page.getByRole('checkbox', { name: 'Select Bulk one' })).toBeChecked();
  await expect(bulkBar(page)).toContainText('2 jobs selected');
  await bulkBar(page).getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Queued runs of 2 jobs.' })).toBeFocused();
  await expect(async () => {
    for (const n of ['one', 'two']) expect((await readExecutions(request, `bulk-${n}`)).filter((r) => r.kind === 'manual')).toHaveLength(1);
  }).toPass({ timeout: 15_000 });

  // Delete asks first, naming how many; Cancel (or Escape) changes nothing and gives the focus back.
  await page.getByRole('checkbox', { name: 'Select Bulk two' }).check();
  await page.getByRole('checkbox', { name: 'Select Bulk three' }).check();
  const deleteButton = bulkBar(page).getByRole('button', { name: 'Delete' });
  await deleteButton.click();
  const dialog = page.getByRole('dialog', { name: 'Delete 2 jobs?' });
  await expect(dialog).toContainText('Bulk two');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await deleteButton.click();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await readJob(request, 'bulk-two')).not.toBeNull();

  await deleteButton.click();
  await dialog.getByRole('button', { name: 'Delete 2 jobs' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted 2 jobs.' })).toBeFocused();
  await expect(dataRows(page)).toHaveCount(2);
  expect(await readJob(request, 'bulk-two')).toBeNull();
  expect(await readJob(request, 'bulk-three')).toBeNull();

  // A failure is reported with its reason: the job went away while it was selected (bulk-four
  // keeps the table on screen whenever the live refresh comes).
  await page.getByRole('checkbox', { name: 'Select Bulk one' }).check();
  await request.delete('/api/jobs/bulk-one', { headers: auth });
  await bulkBar(page).getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Could not pause 1 job: No job with id "bulk-one"' })).toBeFocused();
});

test('no-results and empty states', async ({ page, request }) => {
  await page.goto('/jobs?q=no-such-job&state=paused');
  await expect(page.getByRole('heading', { name: 'No matching jobs' })).toBeVisible();
  await expect(page.getByText('No job’s name or id contains “no-such-job”, in the state Paused.')).toBeVisible();
  await expect(table(page)).toHaveCount(0);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(table(page)).toBeVisible();

  // Empty: delete every job (restoring the built-in one afterwards, as a UI job).
  const prune = await readJob(request, 'system.prune-history');
  for (;;) {
    const { items } = await (await request.get('/api/jobs?pageSize=100', { headers: auth })).json();
    if (items.length === 0) break;
    for (const job of items) await request.delete(`/api/jobs/${encodeURIComponent(job.id)}`, { headers: auth });
  }
  await page.reload();
  await expect(page.getByRole('heading', { name: 'No jobs yet' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create a job' })).toHaveAttribute('href', '/jobs/new');
  if (prune) {
    const { id, name: pruneName, description, task, args, trigger, options } = prune as Record<string, unknown>;
    await seedJob(request, { id, name: pruneName, description, task, args, trigger, options });
  }
});
