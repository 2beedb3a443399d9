// How promptly a set of questions was answered, and how many were asked each year: figures for member, group,
// body and topic pages (pure; the statuses come from public-status.ts, the same as each question page).
import { workingDaysBetween } from '../calendar/working-days.ts';
import type { QuestionSummary } from './question.queries.ts';

export interface Promptness {
  total: number;
  answered: number;
  /** Answered by the statutory deadline. */
  answeredOnTime: number;
  /** Answered after it. */
  answeredLate: number;
  /** Answered with no written deadline to measure (answered orally at the meeting). */
  answeredWithoutDeadline: number;
  /** Unanswered and not yet past the deadline (or not yet asked). */
  awaiting: number;
  /** Unanswered (holding answer or none) and past the deadline today. */
  overdueNow: number;
  /** A holding answer is the latest word. */
  holdingAnswersStanding: number;
  withdrawn: number;
  /** Median working days from the meeting to the first substantive answer, over answers with a deadline. */
  medianWorkingDaysToAnswer: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `answeredOn`: the London day of each question's first substantive answer, by question id. */
export function promptnessOf(questions: readonly QuestionSummary[], answeredOn: ReadonlyMap<number, string>): Promptness {
  const p: Promptness = {
    total: questions.length,
    answered: 0,
    answeredOnTime: 0,
    answeredLate: 0,
    answeredWithoutDeadline: 0,
    awaiting: 0,
    overdueNow: 0,
    holdingAnswersStanding: 0,
    withdrawn: 0,
    medianWorkingDaysToAnswer: null,
  };
  const days: number[] = [];
  for (const q of questions) {
    const { status, lateness } = q.status;
    const late = lateness === 'overdue' || lateness === 'very_overdue';
    if (status === 'withdrawn') p.withdrawn += 1;
    else if (status === 'answered') {
      p.answered += 1;
      if (q.dueOn === null || lateness === null) p.answeredWithoutDeadline += 1;
      else if (late) p.answeredLate += 1;
      else p.answeredOnTime += 1;
      const on = answeredOn.get(q.id);
      if (q.dueOn !== null && q.askedOn !== null && on !== undefined) days.push(Math.max(0, workingDaysBetween(q.askedOn, on)));
    } else {
      if (status === 'holding_answer') p.holdingAnswersStanding += 1;
      if (late) p.overdueNow += 1;
      else p.awaiting += 1;
    }
  }
  p.medianWorkingDaysToAnswer = median(days);
  return p;
}

export function questionsByYear(questions: readonly Pick<QuestionSummary, 'year'>[]): { year: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const q of questions) counts.set(q.year, (counts.get(q.year) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count }));
}

/** Bars for the chart: each year's share of the largest year, as a percentage (the table beside it has the numbers). */
export function chartBars(byYear: readonly { year: number; count: number }[]) {
  const max = Math.max(1, ...byYear.map((y) => y.count));
  return byYear.map((y) => ({ ...y, percent: Math.round((y.count / max) * 1000) / 10 }));
}

export function presentPromptness(p: Promptness) {
  return {
    total: p.total,
    answered: p.answered,
    answeredOnTime: p.answeredOnTime,
    answeredLate: p.answeredLate,
    answeredWithoutDeadline: p.answeredWithoutDeadline,
    awaiting: p.awaiting,
    overdueNow: p.overdueNow,
    holdingAnswersStanding: p.holdingAnswersStanding,
    withdrawn: p.withdrawn,
    medianWorkingDaysToAnswer: p.medianWorkingDaysToAnswer,
  };
}
