// A question's public history, built from the record itself (its dates and published answers), oldest first.
import { londonDate } from '../calendar/london-time.ts';
import type { PublicStatusView } from './public-status.ts';

export type TimelineEvent = 'tabled' | 'accepted' | 'asked' | 'not_reached' | 'holding_answer' | 'answered' | 'corrected' | 'withdrawn';

export interface TimelineEntry {
  event: TimelineEvent;
  /** The London day it happened. */
  on: string;
  label: string;
  /** The answer version it refers to, if any. */
  version: number | null;
}

export interface TimelineInput {
  type: string;
  tabledAt: Date | string | null;
  decidedAt: Date | string | null;
  askedOn: string | null;
  notReached: boolean;
  withdrawnAt: Date | string | null;
  versions: readonly { version: number; kind: string; delivery: string; published_at: Date | string }[];
}

const ORDER: Record<TimelineEvent, number> = { tabled: 0, accepted: 1, asked: 2, not_reached: 3, holding_answer: 4, answered: 5, corrected: 6, withdrawn: 7 };
const day = (value: Date | string) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : londonDate(new Date(value)));

export function questionTimeline(q: TimelineInput): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (event: TimelineEvent, on: Date | string | null, label: string, version: number | null = null) => {
    if (on !== null) entries.push({ event, on: day(on), label, version });
  };
  add('tabled', q.tabledAt, 'Tabled by the member');
  add('accepted', q.decidedAt, 'Accepted by the clerk and given its reference');
  if (q.askedOn) {
    if (q.notReached) add('not_reached', q.askedOn, 'Not reached at the meeting: to be answered in writing');
    else add('asked', q.askedOn, q.type === 'oral' ? 'Asked at the meeting' : 'Put to the Mayor at the meeting');
  }
  let answered = false;
  for (const v of q.versions) {
    if (v.kind === 'holding') add('holding_answer', v.published_at, 'Holding answer published', v.version);
    else if (v.kind === 'correction') add('corrected', v.published_at, 'Answer corrected', v.version);
    else {
      add('answered', v.published_at, answered ? 'Further answer published' : v.delivery === 'oral' ? 'Answered orally at the meeting' : 'Answer published', v.version);
      answered = true;
    }
  }
  add('withdrawn', q.withdrawnAt, 'Withdrawn by the member');
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.on.localeCompare(b.e.on) || ORDER[a.e.event] - ORDER[b.e.event] || a.i - b.i)
    .map(({ e }) => e);
}

export interface DeadlineSummary {
  dueOn: string | null;
  /** true: answered by the deadline; false: answered late or overdue now; null: no deadline, or not due yet. */
  met: boolean | null;
  workingDaysLate: number;
  text: string;
}

const days = (n: number) => `${n} working ${n === 1 ? 'day' : 'days'}`;

export function deadlineSummary(dueOn: string | null, status: PublicStatusView): DeadlineSummary {
  if (dueOn === null) return { dueOn, met: null, workingDaysLate: 0, text: status.status === 'withdrawn' ? 'Withdrawn: no answer is due.' : 'No written deadline: answered at the meeting or not yet asked.' };
  const late = status.lateness === 'overdue' || status.lateness === 'very_overdue';
  const n = status.workingDaysLate;
  if (status.status === 'withdrawn') return { dueOn, met: null, workingDaysLate: 0, text: 'Withdrawn before it was answered.' };
  if (status.status === 'answered') {
    if (status.lateness === 'on_time') return { dueOn, met: true, workingDaysLate: 0, text: 'Deadline met: answered on time.' };
    if (late) return { dueOn, met: false, workingDaysLate: n, text: n > 0 ? `Deadline missed: answered ${days(n)} late.` : 'Deadline missed: answered late.' };
    return { dueOn, met: null, workingDaysLate: 0, text: 'Answered.' };
  }
  if (late) return { dueOn, met: false, workingDaysLate: n, text: n > 0 ? `Deadline missed: overdue by ${days(n)}.` : 'Deadline missed: overdue.' };
  return { dueOn, met: null, workingDaysLate: 0, text: 'Not due yet.' };
}
