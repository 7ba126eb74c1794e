import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('the jobs page shows the scheduler instances, at least one alive', async ({ page }) => {
  await signIn(page);
  const panel = page.getByRole('region', { name: 'Scheduler instances' });
  await expect(panel.getByRole('heading', { name: 'Scheduler instances' })).toBeVisible();

  // The e2e server runs the scheduler, so its heartbeat row is alive (the page refreshes itself).
  const aliveRow = panel.getByRole('row').filter({ has: page.getByText('alive', { exact: true }) });
  await expect(aliveRow.first()).toBeVisible({ timeout: 20_000 });
  await expect(aliveRow.first().getByRole('cell').nth(1)).toHaveText(/^.+:\d+:[0-9a-f]+$/);
  await expect(aliveRow.first().locator('time').last()).toHaveAttribute('title', /UTC/);
  await expect(panel.getByText('No scheduler is running')).toHaveCount(0);
});
