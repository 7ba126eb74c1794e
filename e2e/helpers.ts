import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_TOKEN } from '../playwright.config';

/** Signs in through the login form (which lands on the overview). */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
}

const auth = { Authorization: `Bearer ${E2E_TOKEN}` };

/** Creates a job through the API (seeding), returns its JSON. */
export async function seedJob(request: APIRequestContext, job: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const res = await request.post('/api/jobs', { data: { replaceExisting: true, ...job }, headers: auth });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

/** Reads a job through the API; null when it does not exist. */
export async function readJob(request: APIRequestContext, id: string): Promise<Record<string, unknown> | null> {
  const res = await request.get(`/api/jobs/${encodeURIComponent(id)}`, { headers: auth });
  return res.status() === 404 ? null : res.json();
}

/** Lists a job's executions through the API. */
export async function readExecutions(request: APIRequestContext, id: string): Promise<Array<Record<string, unknown>>> {
  const res = await request.get(`/api/jobs/${encodeURIComponent(id)}/executions?pageSize=100`, { headers: auth });
  return (await res.json()).items;
}

/** The table row of a job on the jobs page. */
export function jobRow(page: Page, name: string) {
  return page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ hasText: name });
}
