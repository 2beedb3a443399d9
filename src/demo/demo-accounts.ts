// Sign-in accounts for the fictional demo assembly, one per role, so a newcomer can walk the whole workflow.
// They exist only in the demo (never with DEMO=off) and the sign-in page lists them while the demo is loaded.
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { createUser } from '../users/user.repository.ts';

export const DEMO_PASSWORD = 'wexbridge demo account';

export interface DemoAccount {
  email: string;
  name: string;
  role: UserRole;
  person?: string;
  actingFor?: string;
  body?: string;
  /** What the account is for, shown on the sign-in page. */
  what: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'hannah.okoye@assembly.wexbridge.example', name: 'Hannah Okoye', role: 'member', person: 'hannah-okoye', what: 'an Assembly Member: drafts and tables questions' },
  { email: 'researcher@social-democrats.wexbridge.example', name: 'Jo Researcher', role: 'staff', actingFor: 'hannah-okoye', what: "staff acting for Hannah Okoye" },
  { email: 'press@social-democrats.wexbridge.example', name: 'Pat Press', role: 'press_officer', what: 'a party group press officer' },
  { email: 'clerk@assembly.wexbridge.example', name: 'Clara Clerk', role: 'clerk', what: 'the secretariat: accepts, rejects and schedules questions' },
  { email: 'officer@police.wexbridge.example', name: 'Olu Officer', role: 'officer', body: 'wexbridge-police', what: 'an officer of the Wexbridge Police Service: drafts answers' },
  { email: 'approver@mayor.wexbridge.example', name: 'Ama Approver', role: 'approver', what: "the Mayor's office: allocates, approves and publishes answers" },
  { email: 'admin@assembly.wexbridge.example', name: 'Adam Admin', role: 'admin', what: 'manages accounts and reads audit trails' },
];

export async function loadDemoAccounts(trx: Db): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    await createUser(
      trx,
      {
        email: account.email,
        displayName: account.name,
        role: account.role,
        password: DEMO_PASSWORD,
        ...(account.person ? { person: account.person } : {}),
        ...(account.actingFor ? { actingFor: account.actingFor } : {}),
        ...(account.body ? { body: account.body } : {}),
      },
      { id: null, label: 'demo' },
    );
  }
}
