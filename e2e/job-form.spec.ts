import { expect, test, type Page } from '@playwright/test';
import { readJob, signIn } from './helpers';

/**
 * The create form's schedule preview (DST notes, presets, trigger errors) and the arguments'
 * raw JSON editor. The browser runs in UTC, so the viewer's zone is UTC.
 */

test.use({ timezoneId: 'UTC' });

test.beforeEach(async ({ page }) => {
  await signIn(page);
  await page.goto('/jobs/new');
});

function preview(page: Page) {
  return page.getByRole('region', { name: 'Schedule preview' });
}

async function openAdvanced(page: Page) {
  const details = page.locator('details', { has: page.locator('summary', { hasText: 'Advanced' }) });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await expect(page.getByLabel('Window start')).toBeVisible();
}

test('the preview calls out a DST gap and a repeated hour in the job zone', async ({ page }) => {
  await page.getByRole('radio', { name: 'Cron' }).check();
  await page.getByLabel('Cron expression').fill('30 2 * * *');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await openAdvanced(page);
  await page.getByLabel('Window start').fill('2027-03-26T00:00');

  const runs = preview(page).getByRole('table');
  await expect(runs.getByRole('row')).toHaveCount(6);
  const gapRow = runs.getByRole('row').filter({ hasText: '2027-03-28' });
  await expect(gapRow).toContainText('2027-03-28 03:00:00');
  await expect(gapRow).toContainText('DST: clocks jump from 02:00 to 03:00 this day; 02:30 runs at 03:00.');
  await expect(runs.getByRole('row').filter({ hasText: '2027-03-27' })).not.toContainText('DST');
  await expect(preview(page).getByRole('note')).toHaveText(
    'Daylight saving time: on 2027-03-28 clocks in Europe/Berlin jump from 02:00 to 03:00, so 02:00–03:00 does not exist.',
  );

  // Fall back: an hourly job fires in both 02:00s.
  await page.getByLabel('Cron expression').fill('0 * * * *');
  await page.getByLabel('Window start').fill('2027-10-31T01:30');
  await expect(runs.getByRole('row').filter({ hasText: 'this is the first' })).toContainText('2027-10-31 02:00:00 GMT+2');
  await expect(runs.getByRole('row').filter({ hasText: 'this is the second' })).toContainText('2027-10-31 02:00:00 GMT+1');
  await expect(preview(page).getByRole('note')).toContainText('go back from 03:00 to 02:00, so 02:00–03:00 happens twice');
});

test('a date trigger inside a DST gap is noted as moved to the gap end', async ({ page }) => {
  await page.getByRole('radio', { name: 'Date' }).check();
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByLabel('Run at').fill('2027-03-28T02:30');
  const runs = preview(page).getByRole('table');
  await expect(runs.getByRole('row')).toHaveCount(2);
  await expect(runs).toContainText('2027-03-28 03:00:00');
  await expect(runs).toContainText('02:30 runs at 03:00.');
});

test('cron presets fill the expression and update the words', async ({ page }) => {
  const expression = page.getByLabel('Cron expression');
  const words = preview(page).getByTestId('schedule-words');
  const presets = page.getByRole('group', { name: 'Cron presets' });

  await presets.getByRole('button', { name: 'Daily at 09:00' }).click();
  await expect(expression).toHaveValue('0 9 * * *');
  await expect(words).toHaveText(/At 09:00/);
  await expect(words).not.toContainText('Monday');

  await presets.getByRole('button', { name: 'Weekdays at 09:00' }).click();
  await expect(expression).toHaveValue('0 9 * * 1-5');
  await expect(words).toContainText('Monday through Friday');

  await presets.getByRole('button', { name: 'Every minute' }).click();
  await expect(expression).toHaveValue('* * * * *');
  await expect(words).toHaveText(/every minute/i);
});

test('an interval of 0 shows an error and creates nothing', async ({ page, request }) => {
  await page.getByLabel('Id').fill('e2e-form-zero-interval');
  await page.getByLabel('message').fill('never');
  await page.getByRole('radio', { name: 'Interval' }).check();
  await page.getByLabel('Minutes', { exact: true }).fill('0');
  const message = 'The interval must be at least 1 second.';
  await expect(preview(page)).toContainText(message);
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('group', { name: 'Every' })).toContainText(message);
  await expect(page).toHaveURL(/\/jobs\/new$/);
  expect(await readJob(request, 'e2e-form-zero-interval')).toBeNull();
});

test('a date in the past shows an error and creates nothing', async ({ page, request }) => {
  await page.getByLabel('Id').fill('e2e-form-past-date');
  await page.getByLabel('message').fill('never');
  await page.getByRole('radio', { name: 'Date' }).check();
  await page.getByLabel('Run at').fill('2020-01-01T09:00');
  const message = 'The date is in the past: choose a future instant.';
  await expect(preview(page)).toContainText(message);
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByLabel('Run at')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Run at')).toHaveAccessibleDescription(new RegExp(message.replace('.', '\\.')));
  await expect(page).toHaveURL(/\/jobs\/new$/);
  expect(await readJob(request, 'e2e-form-past-date')).toBeNull();
});

test('arguments round-trip through the JSON editor and are saved from it', async ({ page, request }) => {
  await page.getByLabel('Id').fill('e2e-form-json');
  await page.getByLabel('Task').selectOption('log.message');
  await page.getByLabel('message').fill('hello fields');
  await page.getByLabel('level').selectOption('warn');

  const toggle = page.getByRole('checkbox', { name: 'Edit arguments as JSON' });
  const editor = page.getByLabel('Arguments (JSON)');
  await toggle.check();
  await expect(editor).toBeVisible();
  expect(JSON.parse(await editor.inputValue())).toEqual({ message: 'hello fields', level: 'warn' });
  await expect(page.getByLabel('message')).toHaveCount(0);

  await editor.fill('{"message": "edited as JSON", "level": "error"}');
  await toggle.uncheck();
  await expect(page.getByLabel('message')).toHaveValue('edited as JSON');
  await expect(page.getByLabel('level')).toHaveValue('error');

  // JSON the fields cannot hold keeps the editor open and says why.
  await toggle.check();
  await editor.fill('{"message": "x", "colour": "red"}');
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(editor).toHaveAccessibleDescription(/"colour" is not one of this task's arguments/);

  await editor.fill('{"message": "saved from JSON"}');
  await page.getByLabel('Start paused').check();
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/e2e-form-json$/);
  expect((await readJob(request, 'e2e-form-json'))?.args).toEqual({ message: 'saved from JSON' });
});

test('bad JSON shows an inline error and creates nothing', async ({ page, request }) => {
  await page.getByLabel('Id').fill('e2e-form-bad-json');
  await page.getByLabel('Task').selectOption('log.message');
  await page.getByRole('checkbox', { name: 'Edit arguments as JSON' }).check();
  const editor = page.getByLabel('Arguments (JSON)');
  await editor.fill('{"message": ');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(editor).toHaveAttribute('aria-invalid', 'true');
  await expect(editor).toHaveAccessibleDescription(/Not valid JSON/);
  await expect(page).toHaveURL(/\/jobs\/new$/);
  expect(await readJob(request, 'e2e-form-bad-json')).toBeNull();

  // A well-formed object missing a required argument is stopped too.
  await editor.fill('{"level": "info"}');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(editor).toHaveAccessibleDescription(/Missing required argument: message/);
  expect(await readJob(request, 'e2e-form-bad-json')).toBeNull();
});
