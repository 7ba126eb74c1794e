import { expect, test } from '@playwright/test';
import { E2E_PASSWORD } from '../playwright.config';

/**
 * Sign-in is rate limited per client address. This spec poses as its own clients (X-Forwarded-For
 * from the documentation range 203.0.113.0/24), so the other specs' address is never locked out.
 */

test('after five wrong passwords a client is refused for a while, even with the right one; others are not', async ({ page }) => {
  const octet = 1 + Math.floor(Math.random() * 200);
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `203.0.113.${octet}` });
  await page.goto('/login');
  const password = page.getByLabel('Password');
  // The login form's message (Next's route announcer is an empty role="alert" too).
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });

  for (let i = 1; i <= 5; i++) {
    await password.fill(`wrong-password-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The form resets once the server has answered.
    await expect(password).toHaveValue('');
    await expect(alert).toContainText('Wrong password');
  }

  await password.fill('wrong-password-6');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText(/^Too many attempts; try again in 1[45] minutes\.$/);

  await password.fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(password).toHaveValue('');
  await expect(alert).toContainText('Too many attempts');
  await expect(page).toHaveURL(/\/login$/);

  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `203.0.113.${octet + 1}` });
  await password.fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('a successful sign-in clears the client\'s failures', async ({ page }) => {
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.51.100.${1 + Math.floor(Math.random() * 200)}` });
  const password = page.getByLabel('Password');
  for (let round = 0; round < 2; round++) {
    await page.goto('/login');
    for (let i = 1; i <= 4; i++) {
      await password.fill(`wrong-${round}-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(password).toHaveValue('');
      await expect(page.getByRole('alert').filter({ hasText: 'Wrong password' })).toBeVisible();
    }
    await password.fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
  }
});
