// What the calendar API returns: every field listed by hand, so a new column never leaks.
import type { CalendarMeeting, MayorsReport, ReportQuestion } from './calendar.queries.ts';
import { meetingUid } from './ical.ts';
import { meetingTypeNames } from './meeting.presenter.ts';
import type { ReportResult } from './report.commands.ts';
import type { ScheduleProblem } from './scheduling-rules.ts';

/** A meeting on the public calendar. */
export function presentCalendarMeeting(m: CalendarMeeting, publicUrl: string) {
  return {
    slug: m.slug,
    url: `${publicUrl}/meetings/${m.slug}`,
    title: m.title,
    type: m.type,
    typeName: meetingTypeNames[m.type] ?? m.type,
    date: m.meetsOn,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt?.toISOString() ?? null,
    place: m.place,
    tablingCutoffAt: m.tablingCutoffAt.toISOString(),
    mayorsReportDueOn: m.mayorsReportDueOn,
    state: m.state,
    icalUid: meetingUid(m.slug, publicUrl),
  };
}

/** A meeting as the clerk's API returns it after scheduling, rescheduling or cancelling: with its id. */
export function presentScheduledMeeting(m: CalendarMeeting, publicUrl: string, confirmedWarnings: readonly ScheduleProblem[] = []) {
  return { id: m.id, ...presentCalendarMeeting(m, publicUrl), confirmedWarnings: confirmedWarnings.map(presentWarning) };
}

export function presentWarning(w: ScheduleProblem) {
  return { code: w.code, rule: w.rule, field: w.field, message: w.message };
}

export function presentReportQuestion(q: ReportQuestion, publicUrl: string) {
  return {
    reference: q.reference,
    url: q.reference ? `${publicUrl}/questions/${q.reference}` : null,
    title: q.title,
    type: q.type,
    asker: { slug: q.askerSlug, name: q.askerName },
  };
}

/** The published Mayor's report, for everyone. */
export function presentPublishedReport(meeting: CalendarMeeting, report: MayorsReport & { publishedAt: Date }, questions: readonly ReportQuestion[], publicUrl: string) {
  return {
    meeting: { slug: meeting.slug, url: `${publicUrl}/meetings/${meeting.slug}`, title: meeting.title, date: meeting.meetsOn },
    url: `${publicUrl}/meetings/${meeting.slug}/report`,
    title: report.title,
    body: report.body,
    dueOn: meeting.mayorsReportDueOn,
    publishedAt: report.publishedAt.toISOString(),
    questions: questions.map((q) => presentReportQuestion(q, publicUrl)),
  };
}

/** The report's state after the clerk saved it. */
export function presentReportResult(r: ReportResult, report: MayorsReport) {
  return {
    meetingId: r.meetingId,
    paperId: r.paperId,
    state: r.state,
    action: r.action,
    title: report.title,
    body: report.body,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  };
}
