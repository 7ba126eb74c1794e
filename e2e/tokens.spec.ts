import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

/** API tokens made in the dashboard: shown once, usable at once, refused once revoked. */

test('a token made in the dashboard is shown once, works against the API, and stops working when revoked', async ({ page, context, request }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await page.goto('/settings/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();

  const name = `ci pipeline ${Date.now()}`;
  await page.getByLabel('Token name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();

  const notice = page.getByRole('region', { name: `Your new token “${name}”` });
  await expect(notice).toContainText('it will not be shown again');
  const field = notice.getByLabel('New API token');
  await expect(field).toHaveValue(/^cb_[A-Za-z0-9_-]{43}$/);
  const token = await field.inputValue();
  await notice.getByRole('button', { name: 'Copy' }).click();
  await expect(notice.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`${token.slice(0, 11)}…`);
  await expect(row).toContainText('Never');
  await expect(row).toContainText('Active');

  expect((await request.get('/api/jobs', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);

  // Shown once: after a reload the page no longer holds the token, and its use is recorded.
  await page.reload();
  await expect(page.getByLabel('New API token')).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(row).not.toContainText('Never');

  // Cancel keeps it; confirming revokes it.
  await row.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke token “${name}”?` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await request.get('/api/jobs', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await dialog.getByRole('button', { name: 'Revoke token' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Revoked the token “${name}”.` })).toBeVisible();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: 'Revoke' })).toHaveCount(0);

  const refused = await request.get('/api/jobs', { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
});

test('a token needs a name, and Done hides a new token for good', async ({ page }) => {
  await signIn(page);
  await page.goto('/settings/tokens');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('Give the token a name.')).toBeVisible();
  await expect(page.getByLabel('Token name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('New API token')).toHaveCount(0);

  await page.getByLabel('Token name').fill('x'.repeat(100));
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByLabel('New API token')).toBeVisible();
  await expect(page.getByLabel('Token name')).toHaveValue('');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('New API token')).toHaveCount(0);
});
