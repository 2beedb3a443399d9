// What the public is told about a question's progress: its status, how late it is, and the words shown for it.
import { type IsoDate } from '../calendar/iso-date.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import { lateness, type LatenessBand } from './deadline.ts';

export type QuestionState = 'draft' | 'tabled' | 'rejected' | 'accepted' | 'withdrawn';

export const PUBLIC_STATUSES = ['awaiting_answer', 'holding_answer', 'answered', 'withdrawn'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export interface PublicStatusInput {
  state: QuestionState;
  hasHoldingAnswer: boolean;
  hasSubstantiveAnswer: boolean;
  /** Null when the question has no written deadline (e.g. answered orally, or not yet scheduled). */
  dueOn: IsoDate | null;
  firstSubstantiveAnswerOn: IsoDate | null;
  /** Publication day of the first holding answer. */
  holdingSince: IsoDate | null;
  today: IsoDate;
  overdueAfterWorkingDays?: number;
  veryOverdueAfterWorkingDays?: number;
}

export interface PublicStatusView {
  status: PublicStatus;
  /** Null when there is nothing to measure: withdrawn, no deadline, or no answer date recorded. */
  lateness: LatenessBand | null;
  workingDaysLate: number;
  /** Working days since the holding answer, while it is the latest word; null otherwise. */
  holdingForWorkingDays: number | null;
  label: string;
}

const STATUS_LABELS: Record<PublicStatus, string> = {
  awaiting_answer: 'Awaiting answer',
  holding_answer: 'Holding answer',
  answered: 'Answered',
  withdrawn: 'Withdrawn',
};

export function publicStatusLabel(status: PublicStatus): string {
  return STATUS_LABELS[status];
}

function workingDaysPhrase(n: number): string {
  return n === 1 ? '1 working day' : `${n} working days`;
}

/**
 * "Awaiting answer (overdue, 3 working days)", "Holding answer (very overdue, 25 working days)",
 * "Answered late (3 working days)", "Answered very late (25 working days)". The count is left out
 * when it is 0 (late only by a weekend or holiday), where "0 working days" would read as on time.
 */
function labelFor(status: PublicStatus, band: LatenessBand | null, workingDaysLate: number): string {
  const base = STATUS_LABELS[status];
  if (band !== 'overdue' && band !== 'very_overdue') return base;
  const count = workingDaysLate > 0 ? workingDaysPhrase(workingDaysLate) : null;
  if (status === 'answered') {
    const late = band === 'very_overdue' ? 'Answered very late' : 'Answered late';
    return count ? `${late} (${count})` : late;
  }
  const words = band === 'very_overdue' ? 'very overdue' : 'overdue';
  return count ? `${base} (${words}, ${count})` : `${base} (${words})`;
}

/**
 * The public face of a question, or null for states the public never sees (draft, tabled,
 * rejected). A holding answer does not stop the deadline clock; a substantive answer does, and
 * an answered question keeps how late it was ("answered late").
 * A question withdrawn before it was accepted was never public: callers must not show it, since
 * its state alone cannot tell that apart from one withdrawn after acceptance.
 */
export function publicStatus(input: PublicStatusInput): PublicStatusView | null {
  const { state, today } = input;
  // Undefined thresholds fall back to lateness()'s defaults (destructuring defaults apply to undefined).
  const thresholds = {
    overdueAfterWorkingDays: input.overdueAfterWorkingDays,
    veryOverdueAfterWorkingDays: input.veryOverdueAfterWorkingDays,
  };
  switch (state) {
    case 'draft':
    case 'tabled':
    case 'rejected':
      return null;
    case 'withdrawn':
      return { status: 'withdrawn', lateness: null, workingDaysLate: 0, holdingForWorkingDays: null, label: STATUS_LABELS.withdrawn };
    case 'accepted':
      break;
    default: {
      const unknown: never = state;
      throw new TypeError(`Unknown question state: ${String(unknown)}`);
    }
  }

  let status: PublicStatus;
  let answeredOn: IsoDate | null;
  let measurable: boolean;
  if (input.hasSubstantiveAnswer) {
    status = 'answered';
    answeredOn = input.firstSubstantiveAnswerOn;
    // Without the answer's date its lateness is unknown: say nothing rather than count to today.
    measurable = answeredOn !== null;
  } else {
    status = input.hasHoldingAnswer ? 'holding_answer' : 'awaiting_answer';
    answeredOn = null;
    measurable = true;
  }

  let band: LatenessBand | null = null;
  let workingDaysLate = 0;
  if (input.dueOn !== null && measurable) {
    const result = lateness({ dueOn: input.dueOn, answeredOn, today, ...thresholds });
    band = result.band;
    workingDaysLate = result.workingDaysLate;
  }

  const holdingForWorkingDays =
    status === 'holding_answer' && input.holdingSince !== null ? Math.max(0, workingDaysBetween(input.holdingSince, today)) : null;

  return { status, lateness: band, workingDaysLate, holdingForWorkingDays, label: labelFor(status, band, workingDaysLate) };
}

