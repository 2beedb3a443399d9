// The account list as a plain-text table, for `answerable user list`.
import type { AccountRow } from './admin.queries.ts';
import { presentAccount, tieLabel } from './admin.presenter.ts';

const HEADINGS = ['EMAIL', 'NAME', 'ROLE', 'TIED TO', 'TWO-FACTOR', 'STATUS', 'LAST SIGN-IN'];

export function accountTable(rows: AccountRow[]): string[] {
  const cells = rows.map((row) => {
    const account = presentAccount(row);
    return [
      account.email,
      account.name,
      account.role,
      tieLabel(account.tiedTo) || '-',
      account.twoFactorEnrolled ? 'enrolled' : 'not enrolled',
      account.disabled ? 'disabled' : 'active',
      account.lastSignInAt ? account.lastSignInAt.slice(0, 16).replace('T', ' ') + 'Z' : '-',
    ];
  });
  const widths = HEADINGS.map((heading, i) => Math.max(heading.length, ...cells.map((c) => [...(c[i] ?? '')].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat((widths[i] ?? 0) - [...v].length))).join('  ');
  return [line(HEADINGS), ...cells.map(line)];
}
