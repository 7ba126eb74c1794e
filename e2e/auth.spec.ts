import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('the dashboard sends a signed-out visitor to the login page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Cronboard' })).toBeVisible();
});

test('a wrong password is refused with a message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong password' })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('the right password opens the overview, and sign out closes it', async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('the API refuses requests without credentials', async ({ request }) => {
  const res = await request.get('/api/jobs');
  expect(res.status()).toBe(401);
  expect(res.headers()['content-type']).toContain('application/problem+json');
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
});
