import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from './testing/index.ts';

type RuntimeField = { name: string; kind: 'scalar' | 'enum' | 'object'; type: string; dbName?: string };
type RuntimeModel = { dbName: string | null; fields: RuntimeField[] };
type Column = { table_name: string; column_name: string; data_type: string; udt_name: string };

// Column types PostgreSQL reports for each Prisma scalar; anything else means the migration drifted.
const COMPATIBLE: Record<string, string[]> = {
  String: ['text', 'uuid', 'character varying'],
  Int: ['integer'],
  BigInt: ['bigint'],
  Boolean: ['boolean'],
  DateTime: ['timestamp with time zone', 'timestamp without time zone'],
  Json: ['jsonb', 'json'],
  Float: ['double precision'],
  Bytes: ['bytea'],
};

const db = createTestDb();
afterAll(() => db.$disconnect());

describe('migrations match prisma/schema.prisma', async () => {
  // The generated client carries the schema's data model; its table and column names are what Prisma will query.
  const dataModel = (db as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })
    ._runtimeDataModel;
  const columns = await db.$queryRaw<Column[]>`
    SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
    WHERE table_schema = current_schema()`;
  const byTable = new Map<string, Column[]>();
  for (const column of columns)
    byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);

  for (const [modelName, model] of Object.entries(dataModel.models)) {
    const table = model.dbName ?? modelName;
    it(`${modelName} has table ${table} with every field`, () => {
      const tableColumns = byTable.get(table);
      expect(tableColumns, `table ${table} is missing`).toBeDefined();
      for (const field of model.fields.filter((candidate) => candidate.kind !== 'object')) {
        const column = tableColumns!.find(
          (candidate) => candidate.column_name === (field.dbName ?? field.name),
        );
        expect(column, `${table}.${field.dbName ?? field.name} is missing`).toBeDefined();
        if (field.kind === 'enum') {
          expect(column!.data_type, `${table}.${column!.column_name}`).toBe('USER-DEFINED');
        } else if (column!.data_type === 'ARRAY') {
          expect(column!.udt_name, `${table}.${column!.column_name}`).toBe('_text');
        } else {
          expect(COMPATIBLE[field.type], `${table}.${column!.column_name} is ${column!.data_type}`).toContain(
            column!.data_type,
          );
        }
      }
    });
  }

  it('has the vector and full-text columns Prisma cannot type', () => {
    const udt = (table: string, name: string) =>
      byTable.get(table)?.find((column) => column.column_name === name)?.udt_name;
    expect(udt('chunk_embeddings', 'embedding')).toBe('vector');
    expect(udt('chunks', 'search')).toBe('tsvector');
  });

  it('records applied migrations the way Prisma does', async () => {
    const rows = await db.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
