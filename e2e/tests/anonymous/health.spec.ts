import { expect, test } from '../../fixtures/test.ts';

test('GET /api/health reports ok with the database kind and pgvector version', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const health = await response.json();
  expect(health.status).toBe('ok');
  expect(health.database.kind).toMatch(/^(embedded|external)$/);
  expect(health.database.pgvector).toMatch(/^0\.8\.\d+/);
  expect(health).toHaveProperty('worker');
  expect(health).toHaveProperty('models');
});
