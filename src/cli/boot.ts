// Opening the database for a command: config, connection, migrations, and the first-start demo load.
import type { Config } from '../config/config.ts';
import { londonDate } from '../calendar/london-time.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { DemoLoadResult } from '../demo/load-demo.ts';

export type Say = (line: string) => void;

export async function openForCommand(config: Config, say: Say): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  if (handle.recoveredStaleLock) say(`Recovered the embedded database in ${config.dataDir} after an unclean stop.`);
  try {
    await migrate(handle.db, { onApply: (m) => say(`Applied migration ${m.version} (${m.name}).`) });
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

export async function loadDemoIfEmpty(handle: DatabaseHandle, say: Say): Promise<DemoLoadResult | undefined> {
  // Loaded when needed: a command that never loads the demo starts without its modules.
  const [{ readDemoData }, { isEmptyRecord, loadDemo }] = await Promise.all([import('../demo/demo-data.ts'), import('../demo/load-demo.ts')]);
  if (!(await isEmptyRecord(handle.db))) return undefined;
  say('Loading the demo assembly (first start)...');
  const data = await readDemoData();
  const started = Date.now();
  const result = await handle.db.transaction().execute((trx) => loadDemo(trx, data, { today: londonDate(new Date()), onProgress: (done, total) => say(`Loading questions: ${done} of ${total}`) }));
  if (result) say(`Loaded the demo assembly: ${result.questions} questions, ${result.answerVersions} answers, ${result.meetings} meetings in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return result;
}
