import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const ENDPOINTS = [
  'GET /api/jobs',
  'POST /api/jobs',
  'GET /api/jobs/{id}',
  'PATCH /api/jobs/{id}',
  'DELETE /api/jobs/{id}',
  'POST /api/jobs/{id}/pause',
  'POST /api/jobs/{id}/resume',
  'POST /api/jobs/{id}/run',
  'GET /api/jobs/{id}/executions',
  'GET /api/stats/executions',
  'POST /api/triggers/preview',
  'GET /api/tasks',
  'GET /api/health',
  'GET /api/openapi.json',
];

test('the API page lists every endpoint, expands a request schema and shows a curl example', async ({ page }) => {
  await signIn(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/api-docs');
  await expect(page.getByRole('heading', { level: 1, name: 'API' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/api-docs.png' });

  const toc = page.getByRole('navigation', { name: 'Endpoints' });
  for (const name of ENDPOINTS) await expect(toc.getByRole('link', { name, exact: true })).toBeVisible();

  const create = page.getByRole('region', { name: 'POST /api/jobs', exact: true });
  await toc.getByRole('link', { name: 'POST /api/jobs', exact: true }).click();
  await expect(page).toHaveURL(/#createJob$/);
  // The schema sits behind a disclosure: closed at first, open on a click, with the nested trigger inlined.
  const json = create.getByText('"replaceExisting"');
  await expect(json).toBeHidden();
  await create.getByText('Request body schema (JobInput)').click();
  await expect(json).toBeVisible();
  await expect(json).toContainText('"expression"');
  await expect(create.getByRole('table', { name: 'Responses of POST /api/jobs' }).getByRole('row', { name: /^201/ })).toBeVisible();
  await expect(create.getByLabel('curl example for POST /api/jobs')).toContainText('Authorization: Bearer $CRONBOARD_TOKEN');

  const list = page.getByRole('region', { name: 'GET /api/jobs', exact: true });
  const params = list.getByRole('table', { name: 'Parameters of GET /api/jobs' });
  await expect(params.getByRole('row', { name: /^sort/ })).toContainText('-nextRunAt');

  await page.screenshot({ path: 'test-results/screenshots/api-docs-schema.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing pushes the page sideways on a phone (wide tables and code scroll inside themselves).
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await create.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/api-docs-narrow.png' });
});

test('the API page needs a sign-in', async ({ page }) => {
  await page.goto('/api-docs');
  await expect(page).toHaveURL(/\/login$/);
});

test('GET /api/openapi.json is an open OpenAPI 3.1 document of every path', async ({ request }) => {
  const res = await request.get('/api/openapi.json');
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`));
  expect(documented.sort()).toEqual([...ENDPOINTS].sort());
  expect(doc.components.schemas).toHaveProperty('Job');
});
