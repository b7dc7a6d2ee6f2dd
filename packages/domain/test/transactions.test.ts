import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClientTransaction } from '../src/db/client-transaction.ts';
import type { EntityManager } from '../src/db/database.ts';
import { executePrepared } from '../src/db/prepared-statements.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { DomainError } from '../src/errors.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * `inTransaction` on the database this run uses: on PostgreSQL a pooled client's own transaction
 * (`ClientTransaction`), on PGlite MikroORM's. Both must commit or roll back every statement,
 * `em.execute` and `executePrepared` alike, nest under savepoints, pass failures on as MikroORM
 * converts them, and give every client back to the pool.
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

const postgres = () => test.db.target.kind === 'postgres';
let nextId = 7100;
const insert = (em: EntityManager, id: number) =>
  executePrepared(em, 'test_tx_insert_workspace', 'insert into workspace (id, name) values (?, ?)', [id, `tx ${id}`]);
const insertText = (em: EntityManager, id: number) =>
  em.execute('insert into workspace (id, name) values (?, ?)', [id, `tx ${id}`]);
const exists = async (id: number) =>
  (await test.db.fork().execute<{ n: number }[]>('select count(*)::int as n from workspace where id = ?', [id]))[0]
    ?.n === 1;
const pid = async (em: EntityManager) =>
  (await em.execute<{ pid: number }[]>('select pg_backend_pid() as pid'))[0]?.pid;

describe('inTransaction', () => {
  it('runs every statement on one connection and commits them together', async () => {
    const [a, b] = [nextId++, nextId++];
    const pids = await inTransaction(test.db.fork(), async (em) => {
      expect(em.getTransactionContext() instanceof ClientTransaction).toBe(postgres());
      const first = await pid(em);
      await insert(em, a);
      await insertText(em, b);
      // Not visible to another connection before the commit.
      if (postgres()) expect(await exists(a)).toBe(false);
      const [{ n } = { n: 0 }] = await executePrepared<{ n: number }>(
        em,
        'test_tx_count_workspaces',
        'select count(*)::int as n from workspace where id = any(?::int[])',
        [`{${a},${b}}`],
      );
      expect(n).toBe(2);
      return [first, await pid(em)];
    });
    expect(pids[0]).toBe(pids[1]);
    expect(await exists(a)).toBe(true);
    expect(await exists(b)).toBe(true);
  });

  it('rolls every statement back on a failure, which reaches the caller unchanged or converted', async () => {
    const [a, b] = [nextId++, nextId++];
    const failure = new DomainError('CONFLICT', 'stop here');
    await expect(
      inTransaction(test.db.fork(), async (em) => {
        await insert(em, a);
        await insertText(em, b);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(false);

    const c = nextId++;
    await expect(
      inTransaction(test.db.fork(), async (em) => {
        await insert(em, c);
        await insert(em, c);
      }),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(await exists(c)).toBe(false);
  });

  it('nests under a savepoint: a failed inner unit is undone, the outer one commits', async () => {
    const [outer, inner, kept] = [nextId++, nextId++, nextId++];
    await inTransaction(test.db.fork(), async (em) => {
      await insert(em, outer);
      await expect(
        inTransaction(em, async (nested) => {
          await insertText(nested, inner);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await inTransaction(em, (nested) => insert(nested, kept));
    });
    expect(await exists(outer)).toBe(true);
    expect(await exists(inner)).toBe(false);
    expect(await exists(kept)).toBe(true);
  });

  it('joins a transaction MikroORM began: rolled back with it', async () => {
    const a = nextId++;
    await expect(
      test.db.fork().transactional(async (em) => {
        await inTransaction(em, (nested) => insert(nested, a));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await exists(a)).toBe(false);
  });

  it('refuses a statement on the fork after the transaction ended (its client may be in use again)', async () => {
    let kept: EntityManager | undefined;
    await inTransaction(test.db.fork(), async (em) => {
      kept = em;
      await insert(em, nextId++);
    });
    if (!kept || !postgres()) return;
    await expect(kept.execute('select 1')).rejects.toThrow(/transaction ended/);
    await expect(insert(kept, nextId++)).rejects.toThrow(/transaction ended/);
  });

  it('gives every client back to the pool, after commits and failures alike', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        inTransaction(test.db.fork(), async (em) => {
          await insert(em, 7500 + i);
          if (i % 2 === 0) throw new Error('fails');
        }).catch(() => undefined),
      ),
    );
    expect(await exists(7501)).toBe(true);
    expect(await exists(7500)).toBe(false);
    if (!postgres()) return;
    const pool = (await test.db.fork().getConnection().getNativeClient()) as {
      totalCount: number;
      idleCount: number;
      waitingCount: number;
    };
    expect(pool.waitingCount).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });
});
