// The `answerable` command line: serve, migrate, demo, user (add, list, set-role, disable, enable,
// reset-two-factor), import and export, each with --help; errors are one line and exit 1.
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/config.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { USER_ROLES } from '../workflow/lifecycle.ts';
import { registerExportCommand } from '../exports/export-command.ts';
import { registerImportCommand } from '../imports/import-command.ts';
import { openForCommand } from './boot.ts';

// Each command loads what it needs when it runs (the web app, the demo, password hashing), so a command starts
// without the modules of the others.
const users = () => import('../users/user.repository.ts');

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The audit trail's name for changes made at the command line. */
const CLI_ACTOR = { id: null, label: 'cli' } as const;

const TIE_FLAGS: Record<string, string> = { person: '--person <slug>', actingFor: '--acting-for <slug>', body: '--body <slug>' };

/** Runs one account change in a transaction; a missing or unknown tie names the flag that gives it. */
async function changeAccount<T>(work: (trx: Db) => Promise<T>): Promise<T> {
  const handle = await openForCommand(loadConfig(), say);
  try {
    return await handle.db.transaction().execute(work);
  } catch (error) {
    const field = isAppError(error) ? Object.keys(error.fields ?? {})[0] : undefined;
    const flag = field ? TIE_FLAGS[field] : undefined;
    if (isAppError(error) && flag) throw new AppError(error.code, `${error.message} (${flag})`, { cause: error });
    throw error;
  } finally {
    await handle.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function buildProgram(): Command {
  const program = new Command('answerable')
    .description('Answerable: questions to an executive, answered on the record.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('serve the site (default http://localhost:3000); applies migrations and loads the demo on first start')
    .action(async () => {
      const { serveCommand } = await import('./serve.ts');
      await serveCommand(loadConfig(), say);
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const handle = await openForCommand(loadConfig(), say);
      const { currentVersion } = await import('../db/migrate.ts');
      say(`The database schema is at version ${await currentVersion(handle.db)}.`);
      await handle.close();
    });

  program
    .command('demo')
    .description('load the fictional demo assembly into an empty database, or replace everything with it (--reload --yes)')
    .option('--reload', 'delete the whole record and load the demo afresh')
    .option('--yes', 'confirm --reload (it deletes every record, account and audit event)')
    .action(async (options: { reload?: boolean; yes?: boolean }) => {
      if (options.reload && !options.yes) throw new AppError('bad_request', 'demo --reload deletes the whole record; add --yes to confirm.');
      const [{ londonDate }, { rebuildSchema }, { readDemoData }, { isEmptyRecord, loadDemo }] = await Promise.all([
        import('../calendar/london-time.ts'),
        import('../db/migrate.ts'),
        import('../demo/demo-data.ts'),
        import('../demo/load-demo.ts'),
      ]);
      const handle = await openForCommand(loadConfig(), say);
      try {
        const data = await readDemoData();
        if (!options.reload && !(await isEmptyRecord(handle.db))) {
          throw new AppError('conflict', 'The database already holds a record; use demo --reload --yes to replace it with the demo.');
        }
        const result = await handle.db.transaction().execute(async (trx) => {
          if (options.reload) await rebuildSchema(trx);
          return loadDemo(trx, data, { today: londonDate(new Date()), onProgress: (done, total) => say(`Loading questions: ${done} of ${total}`) });
        });
        if (!result) throw new AppError('conflict', 'Another process loaded a record at the same time; nothing was changed.');
        say(`Loaded the demo assembly: ${result.people} people, ${result.meetings} meetings, ${result.questions} questions, ${result.answerVersions} answers.`);
      } finally {
        await handle.close();
      }
    });

  const user = program.command('user').description('manage staff and member accounts');
  user
    .command('add')
    .description('create an account with a role; the password is read from standard input')
    .requiredOption('--email <email>', 'sign-in email address')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', `one of ${USER_ROLES.join(', ')}`)
    .option('--person <slug>', 'for a member: the member (person) the account belongs to')
    .option('--acting-for <slug>', "for staff: the member they act for")
    .option('--body <slug>', 'for an officer: the answering body')
    .action(async (options: { email: string; name: string; role: string; person?: string; actingFor?: string; body?: string }) => {
      const password = process.env.ANSWERABLE_PASSWORD ?? (process.stdin.isTTY ? '' : await readStdin());
      if (!password) throw new AppError('bad_request', 'Give the password on standard input (for example: echo "$PASSWORD" | answerable user add ...).');
      const { createUser } = await users();
      const created = await changeAccount((trx) =>
        createUser(
          trx,
          {
            email: options.email,
            displayName: options.name,
            role: options.role as UserRole,
            password,
            person: options.person,
            actingFor: options.actingFor,
            body: options.body,
          },
          CLI_ACTOR,
        ),
      );
      say(`Created ${created.role} account ${created.email}.`);
    });

  user
    .command('list')
    .description('list every account: email, name, role, what the role is tied to, two-factor, status, last sign-in')
    .option('--role <role>', `only accounts with this role (one of ${USER_ROLES.join(', ')})`)
    .action(async (options: { role?: string }) => {
      if (options.role !== undefined && !(USER_ROLES as readonly string[]).includes(options.role)) {
        throw new AppError('validation_failed', `Role must be one of ${USER_ROLES.join(', ')}`);
      }
      const [{ listAccounts }, { accountTable }] = await Promise.all([import('../admin/admin.queries.ts'), import('../admin/account-table.ts')]);
      const handle = await openForCommand(loadConfig(), say);
      try {
        const rows = await listAccounts(handle.db, { role: options.role as UserRole | undefined });
        for (const line of accountTable(rows)) say(line);
      } finally {
        await handle.close();
      }
    });

  user
    .command('set-role')
    .description("change an account's role and what the role is tied to; ends its sessions and API tokens when the role changes")
    .argument('<email>', 'the sign-in email of the account')
    .argument('<role>', `one of ${USER_ROLES.join(', ')}`)
    .option('--person <slug>', 'for a member: the member (person) the account belongs to')
    .option('--acting-for <slug>', 'for staff: the member they act for')
    .option('--body <slug>', 'for an officer: the answering body')
    .action(async (email: string, role: string, options: { person?: string; actingFor?: string; body?: string }) => {
      const { setUserRole, findUserIdByEmail } = await users();
      const result = await changeAccount(async (trx) =>
        setUserRole(trx, { userId: await findUserIdByEmail(trx, email), role: role as UserRole, person: options.person, actingFor: options.actingFor, body: options.body }, CLI_ACTOR),
      );
      say(result.changed ? `${email} is now ${result.role}.` : `${email} already had that role; nothing changed.`);
    });

  user
    .command('disable')
    .description('stop an account signing in, and end its sessions and API tokens')
    .argument('<email>', 'the sign-in email of the account')
    .action(async (email: string) => {
      const { disableUser, findUserIdByEmail } = await users();
      await changeAccount(async (trx) => disableUser(trx, { userId: await findUserIdByEmail(trx, email) }, CLI_ACTOR));
      say(`Disabled ${email}; its sessions and API tokens have ended.`);
    });

  user
    .command('enable')
    .description('let a disabled account sign in again')
    .argument('<email>', 'the sign-in email of the account')
    .action(async (email: string) => {
      const { enableUser, findUserIdByEmail } = await users();
      await changeAccount(async (trx) => enableUser(trx, { userId: await findUserIdByEmail(trx, email) }, CLI_ACTOR));
      say(`Enabled ${email}.`);
    });

  user
    .command('reset-two-factor')
    .description("forget an account's authenticator and recovery codes so it enrols again at the next sign-in")
    .argument('<email>', 'the sign-in email of the account')
    .action(async (email: string) => {
      const { resetTwoFactor, findUserIdByEmail } = await users();
      await changeAccount(async (trx) => resetTwoFactor(trx, { userId: await findUserIdByEmail(trx, email) }, CLI_ACTOR));
      say(`Reset two-factor authentication for ${email}; it sets it up again at the next sign-in.`);
    });

  registerImportCommand(program, say);
  registerExportCommand(program, say);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv.length <= 2 ? [...argv, 'serve'] : argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = isAppError(error) ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`answerable: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
