// Loading the benchmark corpus: PostgreSQL (server or embedded PGlite) through COPY with the real schema, and
// SQLite FTS5 (better-sqlite3, benchmark only) with the same rows.
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type BetterSqlite3 from 'better-sqlite3';
import { questionRows, type Language, type World } from './corpus.ts';

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const line = (values: (string | number | boolean | null)[]) => `${values.map(field).join('\t')}\n`;

type Value = string | number | boolean | null;

async function copyRowsByCopy(client: pg.PoolClient, statement: string, rows: Iterable<Value[]>): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
  let buffer = '';
  for (const row of rows) {
    buffer += line(row);
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  if (buffer) stream.write(buffer);
  stream.end();
  await done;
}

/** Multi-row INSERTs: the embedded server's socket does not carry COPY FROM STDIN. */
async function insertRows(client: pg.PoolClient, statement: string, rows: Iterable<Value[]>): Promise<void> {
  const match = /^COPY (\w+) \(([^)]*)\)/.exec(statement);
  if (!match) throw new Error(`not a COPY statement: ${statement}`);
  const [, table, columns] = match;
  let batch: Value[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const width = batch[0]!.length;
    const values = batch.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO ${table} (${columns}) OVERRIDING SYSTEM VALUE VALUES ${values}`, batch.flat());
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= 1000) await flush();
  }
  await flush();
}

/** The assembly's small tables, then the questions, answers and topics by COPY (triggers off), then the search table in one statement. */
export async function loadPostgres(pool: pg.Pool, useCopy: boolean, world: World, lang: Language, size: number, seed: number, log: (s: string) => void): Promise<void> {
  const client = await pool.connect();
  const copyRows = useCopy ? copyRowsByCopy : insertRows;
  try {
    await client.query('BEGIN');
    // Bulk load: the search table is rebuilt once at the end instead of row by row.
    await client.query('SET LOCAL session_replication_role = replica');
    await copyRows(client, 'COPY organisations (id, slug, name, classification) FROM STDIN', [
      ...world.groups.map((g) => ([g.id, g.slug, g.name, 'party_group'])),
      ...world.bodies.map((b) => ([b.id, b.slug, b.name, 'functional_body'])),
      ([world.groups.length + world.bodies.length + 1, 'wexbridge-assembly', 'Wexbridge Assembly', 'assembly']),
    ]);
    const assemblyId = world.groups.length + world.bodies.length + 1;
    await copyRows(client, 'COPY people (id, slug, name) FROM STDIN', [...world.people.map((p) => [p.id, p.slug, p.name]), ([world.mayorId, 'the-mayor', 'The Mayor'])]);
    await copyRows(client, 'COPY memberships (person_id, organisation_id, role, start_date, end_date) FROM STDIN', world.people.map((p) => [p.id, p.groupId, 'member', `${p.from}-01-01`, `${p.to}-12-31`]));
    await copyRows(
      client,
      'COPY meetings (id, slug, assembly_id, meeting_type, title, meets_on, starts_at, place, tabling_cutoff_at, state) FROM STDIN',
      world.meetings.map((m) => ([m.id, m.slug, assemblyId, 'mqt', m.title, m.meetsOn, `${m.meetsOn}T10:00:00Z`, 'City Hall', `${m.meetsOn}T09:00:00Z`, 'held'])),
    );
    await copyRows(client, 'COPY topics (id, slug, name) FROM STDIN', world.topics.map((t) => [t.id, t.slug, t.name]));
    const started = Date.now();
    const questions = function* () {
      for (const q of questionRows(world, lang, size, seed)) {
        yield [q.id, q.year, q.number, q.type, q.state, q.title, q.body, q.askerId, world.mayorId, q.meetingId, q.bodyId, q.askedOn, q.dueOn, `${q.askedOn}T08:00:00Z`, q.state === 'withdrawn' ? `${q.askedOn}T12:00:00Z` : null] as Value[];
      }
    };
    await copyRows(client, 'COPY questions (id, reference_year, reference_number, question_type, state, title, body, asker_id, asked_of_id, meeting_id, answering_body_id, asked_on, due_on, tabled_at, withdrawn_at) FROM STDIN', questions());
    log(`  questions copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let answerId = 0;
    const answers = function* () {
      for (const q of questionRows(world, lang, size, seed)) {
        for (const a of q.answers) yield [++answerId, q.id, a.version, a.kind, 'written', a.body, world.mayorId, 'The Mayor', a.publishedAt] as Value[];
      }
    };
    await copyRows(client, 'COPY answer_versions (id, question_id, version, kind, delivery, body, answered_by_id, answered_by_label, published_at) FROM STDIN', answers());
    const topics = function* () {
      for (const q of questionRows(world, lang, size, seed)) for (const t of q.topicIds) yield [q.id, t] as Value[];
    };
    await copyRows(client, 'COPY question_topics (question_id, topic_id) FROM STDIN', topics());
    log(`  answers and topics copied at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await client.query('INSERT INTO question_search SELECT * FROM question_search_source');
    await client.query('COMMIT');
    log(`  search table built at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await client.query('VACUUM ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function loadSqlite(db: BetterSqlite3.Database, world: World, lang: Language, size: number, seed: number): void {
  db.exec(`
    PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
    CREATE TABLE q (id INTEGER PRIMARY KEY, year INTEGER, number INTEGER, type TEXT, state TEXT, asker_id INTEGER, group_id INTEGER,
      body_id INTEGER, meeting_id INTEGER, asked_on TEXT, due_on TEXT, has_holding INTEGER, has_substantive INTEGER,
      title TEXT, body TEXT, answer TEXT);
    CREATE TABLE qt (question_id INTEGER, topic_id INTEGER);
    CREATE TABLE people (id INTEGER PRIMARY KEY, slug TEXT, name TEXT);
    CREATE TABLE meetings (id INTEGER PRIMARY KEY, slug TEXT, meets_on TEXT);
    CREATE VIRTUAL TABLE fts USING fts5(title, body, answer, content='q', content_rowid='id', tokenize='porter unicode61');
  `);
  const insert = db.prepare('INSERT INTO q VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertTopic = db.prepare('INSERT INTO qt VALUES (?, ?)');
  db.transaction(() => {
    for (const p of world.people) db.prepare('INSERT INTO people VALUES (?, ?, ?)').run(p.id, p.slug, p.name);
    for (const m of world.meetings) db.prepare('INSERT INTO meetings VALUES (?, ?, ?)').run(m.id, m.slug, m.meetsOn);
    for (const row of questionRows(world, lang, size, seed)) {
      insert.run(
        row.id, row.year, row.number, row.type, row.state, row.askerId, row.groupId, row.bodyId, row.meetingId, row.askedOn, row.dueOn,
        row.answers.some((a) => a.kind === 'holding') ? 1 : 0, row.answers.some((a) => a.kind === 'substantive') ? 1 : 0,
        row.title, row.body, row.answers.map((a) => a.body).join(' '),
      );
      for (const t of row.topicIds) insertTopic.run(row.id, t);
    }
  })();
  db.exec(`INSERT INTO fts(fts) VALUES ('rebuild'); CREATE INDEX qt_question ON qt (question_id); ANALYZE;`);
}

/** The same work as searchQuestions: top 20 by bm25 with snippets and summaries, the total, and every facet's counts. */
export function sqliteSearch(db: BetterSqlite3.Database) {
  const top = db.prepare(`
    SELECT q.id, q.year, q.number, q.title, q.type, q.state, q.asked_on, q.due_on, p.slug, p.name, m.slug AS meeting_slug, m.meets_on,
           snippet(fts, -1, char(57344), char(57345), ' … ', 30) AS snippet
      FROM fts JOIN q ON q.id = fts.rowid JOIN people p ON p.id = q.asker_id JOIN meetings m ON m.id = q.meeting_id
     WHERE fts MATCH ? ORDER BY rank LIMIT 20`);
  const facets = db.prepare(`
    WITH m AS MATERIALIZED (SELECT q.id, q.asker_id, q.group_id, q.body_id, q.meeting_id, q.type, q.year,
        CASE WHEN q.state = 'withdrawn' THEN 'withdrawn' WHEN q.has_substantive THEN 'answered' WHEN q.has_holding THEN 'holding' ELSE 'awaiting' END AS status,
        CASE WHEN q.state = 'accepted' AND NOT q.has_substantive AND q.due_on <= ? THEN 1 ELSE 0 END AS late
      FROM fts JOIN q ON q.id = fts.rowid WHERE fts MATCH ?)
    SELECT 'member' AS facet, asker_id AS value, count(*) AS n FROM m GROUP BY 2
    UNION ALL SELECT 'group', group_id, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'body', body_id, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'meeting', meeting_id, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'type', type, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'year', year, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'status', status, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'late', late, count(*) FROM m GROUP BY 2
    UNION ALL SELECT 'topic', qt.topic_id, count(*) FROM m JOIN qt ON qt.question_id = m.id GROUP BY 2
    UNION ALL SELECT 'total', NULL, count(*) FROM m`);
  return (fts5: string, today: string) => {
    const items = top.all(fts5);
    const counts = facets.all(today, fts5) as { facet: string; value: unknown; n: number }[];
    return { items, total: counts.find((c) => c.facet === 'total')?.n ?? 0 };
  };
}
