// Issues question references from the per-year sequence, inside the caller's transaction.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The next reference for a year. The sequence row stays locked until the caller's transaction ends, so
 * concurrent acceptances queue behind each other (no duplicates), and a rolled-back acceptance returns its
 * number (no gaps).
 */
export async function allocateReference(trx: Db, year: number): Promise<{ year: number; number: number }> {
  const row = await sql<{ last_number: number }>`
    INSERT INTO reference_sequences (year, last_number) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last_number = reference_sequences.last_number + 1
    RETURNING last_number`.execute(trx);
  const number = row.rows[0]?.last_number;
  if (number === undefined) throw new Error('reference allocation returned no row');
  return { year, number };
}

/** Records a reference issued elsewhere (imports), so the sequence continues after it. */
export async function recordIssuedReference(trx: Db, year: number, number: number): Promise<void> {
  await sql`
    INSERT INTO reference_sequences (year, last_number) VALUES (${year}, ${number})
    ON CONFLICT (year) DO UPDATE SET last_number = GREATEST(reference_sequences.last_number, EXCLUDED.last_number)`.execute(trx);
}
