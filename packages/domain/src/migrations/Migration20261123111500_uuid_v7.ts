import { Migration } from '@mikro-orm/migrations';

/**
 * `tagging_uuid_v7()`: time-ordered UUIDs generated inside set-based statements (propagation
 * inserts one row per session in one statement, so ids cannot come from the application).
 * PostgreSQL 15 has no uuidv7(); this builds one from gen_random_uuid(): the first 48 bits become
 * the Unix time in milliseconds and the version nibble becomes 7. Functions are not part of the
 * schema diff, so this hand-written migration is never proposed for removal.
 */
export class Migration20261123111500_uuid_v7 extends Migration {
  override name = 'Migration20261123111500_uuid_v7';

  override up(): void {
    this.addSql(`create or replace function tagging_uuid_v7() returns uuid language sql volatile as $$
      select encode(
        set_bit(set_bit(
          overlay(uuid_send(gen_random_uuid())
                  placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                  from 1 for 6),
          52, 1), 53, 1),
        'hex')::uuid
    $$;`);
  }

  override down(): void {
    this.addSql('drop function if exists tagging_uuid_v7();');
  }
}
