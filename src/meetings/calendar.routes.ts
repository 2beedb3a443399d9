// The meeting calendar: the public calendar, its iCalendar feed and JSON; the clerk's pages to schedule, reschedule
// and cancel meetings (with the assembly's rules checked and warnings confirmed); the same through the API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { isValidIsoDate } from '../calendar/iso-date.ts';
import { formatLongDate, londonDate } from '../calendar/london-time.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import { errorsFrom, formErrors, type FormErrors } from '../web/forms.ts';
import { presentCalendarMeeting, presentScheduledMeeting, presentWarning } from './calendar.presenter.ts';
import { defaultAssemblyId, findCalendarMeeting, reportStates, schedulingRulesFor, upcomingMeetings, type CalendarMeeting } from './calendar.queries.ts';
import { ICAL_CONTENT_TYPE, meetingsFeed } from './ical.ts';
import { meetingTypeNames } from './meeting.presenter.ts';
import { mayorsReportRoutes } from './report.routes.ts';
import { cancelMeeting, ConfirmationRequired, MEETING_TYPES, rescheduleMeeting, scheduleMeeting } from './schedule.commands.ts';
import type { CancelMeetingInput, RescheduleMeetingInput, ScheduleMeetingInput } from './schedule.commands.ts';
import { DEFAULT_CUTOFF_TIME, defaultMayorsReportDueOn, defaultTablingCutoffAt, type ScheduleProblem, type SchedulingRules } from './scheduling-rules.ts';

type DateParts = { day: string; month: string; year: string };

/** The form as typed, to show again after a refusal or a warning. */
interface MeetingFormValues {
  meetingType: string;
  meetsOn: DateParts;
  startTime: string;
  endTime: string;
  place: string;
  tablingCutoffOn: DateParts;
  tablingCutoffTime: string;
  mayorsReportDueOn: DateParts;
}

const text = (value: unknown) => (formText(value) ?? '').trim();
const blankParts: DateParts = { day: '', month: '', year: '' };
const partsOf = (date: string | null): DateParts => {
  if (!date) return blankParts;
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};
const hhmm = (instant: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);

function datePartsFrom(form: Record<string, unknown>, name: string): DateParts {
  return { day: text(form[`${name}-day`]), month: text(form[`${name}-month`]), year: text(form[`${name}-year`]) };
}

/** GOV.UK date parts as an ISO day; blank as undefined; anything else as a value the command refuses as "not a real date". */
function isoFromParts(parts: DateParts): string | undefined {
  if (!parts.day && !parts.month && !parts.year) return undefined;
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return 'not-a-date';
  return `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
}

function formValues(form: Record<string, unknown>): MeetingFormValues {
  return {
    meetingType: text(form.meetingType),
    meetsOn: datePartsFrom(form, 'meetsOn'),
    startTime: text(form.startTime),
    endTime: text(form.endTime),
    place: text(form.place),
    tablingCutoffOn: datePartsFrom(form, 'tablingCutoffOn'),
    tablingCutoffTime: text(form.tablingCutoffTime),
    mayorsReportDueOn: datePartsFrom(form, 'mayorsReportDueOn'),
  };
}

/** Form values as command input: the command's zod schema decides what is acceptable. */
function commandInput(v: MeetingFormValues) {
  return {
    meetingType: v.meetingType as (typeof MEETING_TYPES)[number],
    meetsOn: isoFromParts(v.meetsOn) as string,
    startTime: v.startTime,
    endTime: v.endTime,
    place: v.place,
    tablingCutoffOn: isoFromParts(v.tablingCutoffOn),
    tablingCutoffTime: v.tablingCutoffTime || undefined,
    mayorsReportDueOn: isoFromParts(v.mayorsReportDueOn),
  };
}

function valuesOf(m: CalendarMeeting): MeetingFormValues {
  return {
    meetingType: m.type,
    meetsOn: partsOf(m.meetsOn),
    startTime: hhmm(m.startsAt),
    endTime: m.endsAt ? hhmm(m.endsAt) : '',
    place: m.place,
    tablingCutoffOn: partsOf(londonDate(m.tablingCutoffAt)),
    tablingCutoffTime: hhmm(m.tablingCutoffAt),
    mayorsReportDueOn: partsOf(m.mayorsReportDueOn),
  };
}

/** JSON goes to the command as it came: the command's zod schema is what validates it. */
function asInput<S extends z.ZodType>(value: Record<string, unknown>): z.input<S> {
  return value as z.input<S>;
}

const codesIn = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(/\s+/))
    .filter(Boolean);

/** Error summary links point at the first box of a date, where the field's name is not an element id. */
const FIELD_TARGETS: Record<string, string> = {
  meetsOn: 'meetsOn-day',
  tablingCutoffOn: 'tablingCutoffOn-day',
  mayorsReportDueOn: 'mayorsReportDueOn-day',
  input: 'meetingType',
  form: 'meetingType',
};

function linkedErrors(errors: FormErrors): FormErrors {
  return { list: errors.list.map((e) => ({ text: e.text, href: `#${FIELD_TARGETS[e.href.slice(1)] ?? e.href.slice(1)}` })), fields: errors.fields };
}

/** What the form says about the defaults, for the date typed so far. */
function defaultsFor(values: MeetingFormValues, rules: SchedulingRules) {
  const meetsOn = isoFromParts(values.meetsOn);
  const known = meetsOn !== undefined && isValidIsoDate(meetsOn);
  try {
    return {
      rules,
      cutoff: known ? defaultTablingCutoffAt(meetsOn, rules) : null,
      reportDueOn: known ? defaultMayorsReportDueOn(meetsOn, rules) : null,
    };
  } catch {
    // A day outside the known calendar: the command says so when the form is sent.
    return { rules, cutoff: null, reportDueOn: null };
  }
}

/** The three boxes of a GOV.UK date input, marked when the date has an error. */
function dateItems(parts: DateParts, hasError: boolean) {
  const classes = (width: number) => `govuk-input--width-${width}${hasError ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', label: 'Day', classes: classes(2), value: parts.day, inputmode: 'numeric' },
    { name: 'month', label: 'Month', classes: classes(2), value: parts.month, inputmode: 'numeric' },
    { name: 'year', label: 'Year', classes: classes(4), value: parts.year, inputmode: 'numeric' },
  ];
}

const typeItems = (chosen: string) => MEETING_TYPES.map((t) => ({ value: t, text: meetingTypeNames[t] ?? t, checked: chosen === t }));

export async function meetingCalendarRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const clerkOnly = { preHandler: requireRole('clerk') };

  // The public calendar ---------------------------------------------------------------------------------------

  app.get('/calendar', async (_request, reply) => {
    const meetings = await upcomingMeetings(db, app.today());
    return reply.render('meetings/views/calendar-public.njk', {
      site: await app.site(),
      section: 'calendar',
      title: 'Calendar of meetings',
      meetings: meetings.map((m) => ({ ...m, typeName: meetingTypeNames[m.type] ?? m.type })),
    });
  });

  app.get('/calendar.ics', async (_request, reply) => {
    const meetings = await upcomingMeetings(db, app.today());
    const site = await app.site();
    return reply
      .type(ICAL_CONTENT_TYPE)
      .header('content-disposition', 'inline; filename="meetings.ics"')
      .header('cache-control', 'public, max-age=300')
      .send(meetingsFeed(meetings, { publicUrl: app.ctx.config.publicUrl, siteName: site.name, now: app.now() }));
  });

  app.get('/api/v1/calendar', async () => {
    const meetings = await upcomingMeetings(db, app.today());
    const url = app.ctx.config.publicUrl;
    return { count: meetings.length, icalUrl: `${url}/calendar.ics`, meetings: meetings.map((m) => presentCalendarMeeting(m, url)) };
  });

  // The clerk's calendar ---------------------------------------------------------------------------------------

  app.get('/work/clerk/calendar', clerkOnly, async (_request, reply) => {
    const meetings = await upcomingMeetings(db, app.today());
    const reports = await reportStates(db, meetings.map((m) => m.id));
    return reply.render('meetings/views/calendar-clerk.njk', {
      site: await app.site(),
      section: 'work',
      title: 'Calendar of meetings',
      meetings: meetings.map((m) => ({ ...m, typeName: meetingTypeNames[m.type] ?? m.type, report: reports.get(m.id) ?? null })),
    });
  });

  interface FormPage {
    mode: 'new' | 'edit';
    meeting?: CalendarMeeting;
    values: MeetingFormValues;
    errors?: FormErrors;
    warnings?: readonly ScheduleProblem[];
    cancel?: { reason: string; errors?: FormErrors };
    status?: number;
  }

  const formPage = async (reply: FastifyReply, page: FormPage) => {
    const assemblyId = page.mode === 'edit' && page.meeting ? (await findCalendarMeeting(db, page.meeting.id))?.assemblyId : await defaultAssemblyId(db).catch(() => undefined);
    const rules = await schedulingRulesFor(db, assemblyId ?? 0);
    const errors = page.errors ?? page.cancel?.errors;
    return reply.status(page.status ?? 200).render('meetings/views/calendar-form.njk', {
      site: await app.site(),
      section: 'work',
      errorTitle: Boolean(errors),
      title: page.mode === 'new' ? 'Schedule a meeting' : `Reschedule ${page.meeting?.title ?? 'the meeting'}, ${formatLongDate(page.meeting?.meetsOn ?? '')}`,
      action: page.mode === 'new' ? '/work/clerk/calendar/new' : `/work/clerk/calendar/${page.meeting?.id}/edit`,
      mode: page.mode,
      meeting: page.meeting,
      values: page.values,
      dateItems: {
        meetsOn: dateItems(page.values.meetsOn, Boolean(errors?.fields.meetsOn)),
        tablingCutoffOn: dateItems(page.values.tablingCutoffOn, Boolean(errors?.fields.tablingCutoffOn)),
        mayorsReportDueOn: dateItems(page.values.mayorsReportDueOn, Boolean(errors?.fields.mayorsReportDueOn)),
      },
      typeItems: typeItems(page.values.meetingType),
      defaults: defaultsFor(page.values, rules),
      defaultCutoffTime: DEFAULT_CUTOFF_TIME,
      errors: page.errors,
      warnings: page.warnings ?? [],
      warningCodes: (page.warnings ?? []).map((w) => w.code).join(' '),
      cancel: page.cancel ?? { reason: '' },
    });
  };

  /**
   * Runs a schedule or reschedule from the form. Hard errors come back as the error summary; warnings not yet
   * confirmed come back as the warning panel (and, if the clerk sent the same warnings back unticked, an error too).
   */
  const submitSchedule = async <T>(
    request: FastifyRequest,
    reply: FastifyReply,
    page: Omit<FormPage, 'values'>,
    command: (input: ReturnType<typeof commandInput> & { confirmWarnings: string[] }) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; reply: FastifyReply }> => {
    const form = formObject.parse(request.body ?? {});
    const values = formValues(form);
    const confirmed = codesIn(form.confirmWarnings);
    const shown = codesIn(form.warningsShown);
    try {
      return { ok: true, value: await command({ ...commandInput(values), confirmWarnings: confirmed }) };
    } catch (error) {
      if (error instanceof ConfirmationRequired) {
        const codes = error.warnings.map((w) => w.code);
        const sameAsShown = shown.length === codes.length && codes.every((c) => shown.includes(c));
        const errors = sameAsShown ? formErrors({ confirmWarnings: 'Tick the box to confirm you have checked the warnings, or change the meeting' }) : undefined;
        return { ok: false, reply: await formPage(reply, { ...page, values, warnings: error.warnings, ...(errors ? { errors } : {}), status: errors ? 400 : 409 }) };
      }
      const errors = errorsFrom(error);
      if (!errors || !isAppError(error)) throw error;
      return { ok: false, reply: await formPage(reply, { ...page, values, errors: linkedErrors(errors), status: error.status }) };
    }
  };

  const emptyValues = (): MeetingFormValues => ({
    meetingType: 'mqt',
    meetsOn: blankParts,
    startTime: '10:00',
    endTime: '12:30',
    place: '',
    tablingCutoffOn: blankParts,
    tablingCutoffTime: '',
    mayorsReportDueOn: blankParts,
  });

  app.get('/work/clerk/calendar/new', clerkOnly, async (_request, reply) => {
    const last = (await upcomingMeetings(db, app.today())).filter((m) => m.state !== 'cancelled').at(-1);
    return formPage(reply, { mode: 'new', values: { ...emptyValues(), place: last?.place ?? '' } });
  });

  app.post('/work/clerk/calendar/new', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const result = await submitSchedule(request, reply, { mode: 'new' }, (input) => runCommand(app, (trx, options) => scheduleMeeting(trx, actor, input, options)));
    if (!result.ok) return result.reply;
    const meeting = await findCalendarMeeting(db, result.value.meetingId);
    const confirmed = result.value.confirmedWarnings.length;
    request.session.set(
      'flash',
      `${meeting?.title ?? 'The meeting'} on ${formatLongDate(meeting?.meetsOn ?? '')} was scheduled${confirmed ? `, with ${confirmed} ${confirmed === 1 ? 'warning' : 'warnings'} confirmed` : ''}.`,
    );
    return reply.redirect('/work/clerk/calendar', 303);
  });

  const editableMeeting = async (id: string | undefined) => {
    const meeting = await findCalendarMeeting(db, idParam(id, 'The meeting'));
    if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
    return meeting;
  };

  app.get<{ Params: { id: string } }>('/work/clerk/calendar/:id/edit', clerkOnly, async (request, reply) => {
    const meeting = await editableMeeting(request.params.id);
    return formPage(reply, { mode: 'edit', meeting, values: valuesOf(meeting) });
  });

  app.post<{ Params: { id: string } }>('/work/clerk/calendar/:id/edit', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meeting = await editableMeeting(request.params.id);
    const result = await submitSchedule(request, reply, { mode: 'edit', meeting }, (input) =>
      runCommand(app, (trx, options) => rescheduleMeeting(trx, actor, { ...input, meetingId: meeting.id }, options)),
    );
    if (!result.ok) return result.reply;
    request.session.set(
      'flash',
      result.value.changed.length === 0 ? 'Nothing was changed: the meeting was already scheduled as shown.' : `${meeting.title} was rescheduled. The change is recorded in the audit trail.`,
    );
    return reply.redirect('/work/clerk/calendar', 303);
  });

  app.post<{ Params: { id: string } }>('/work/clerk/calendar/:id/cancel', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meeting = await editableMeeting(request.params.id);
    const form = formObject.parse(request.body ?? {});
    const reason = formText(form.reason);
    try {
      const result = await runCommand(app, (trx, options) => cancelMeeting(trx, actor, { meetingId: meeting.id, reason: reason as string }, options));
      const n = result.questionsToMove;
      request.session.set(
        'flash',
        `${meeting.title} on ${formatLongDate(meeting.meetsOn)} was cancelled.${n ? ` ${n} ${n === 1 ? 'question was' : 'questions were'} tabled for it: move ${n === 1 ? 'it' : 'them'} to another meeting.` : ''}`,
      );
      return reply.redirect('/work/clerk/calendar', 303);
    } catch (error) {
      const errors = errorsFrom(error);
      if (!errors || !isAppError(error)) throw error;
      // Every refusal of a cancellation is about the reason or the meeting itself: show it at the reason box.
      const cancelErrors = formErrors({ reason: error.fields?.reason ?? error.message });
      return formPage(reply, { mode: 'edit', meeting, values: valuesOf(meeting), cancel: { reason: reason ?? '', errors: cancelErrors }, status: error.status });
    }
  });

  // The clerk's API ------------------------------------------------------------------------------------------

  /** Warnings to confirm come back as 409 confirmation_required with the list, so a client can show and confirm them. */
  const apiSchedule = async <T extends { meetingId: number; confirmedWarnings: ScheduleProblem[] }>(reply: FastifyReply, status: 200 | 201, run: () => Promise<T>) => {
    try {
      const result = await run();
      const meeting = await findCalendarMeeting(db, result.meetingId);
      if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
      return reply.status(status).send(presentScheduledMeeting(meeting, app.ctx.config.publicUrl, result.confirmedWarnings));
    } catch (error) {
      if (!(error instanceof ConfirmationRequired)) throw error;
      return reply.status(409).send({
        error: {
          code: 'confirmation_required',
          message: error.message,
          fields: error.fields,
          warnings: error.warnings.map(presentWarning),
        },
      });
    }
  };

  app.post('/api/v1/work/meetings', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const input = jsonBody(request);
    return apiSchedule(reply, 201, () => runCommand(app, (trx, options) => scheduleMeeting(trx, actor, asInput<typeof ScheduleMeetingInput>(input), options)));
  });

  app.post<{ Params: { id: string } }>('/api/v1/work/meetings/:id/reschedule', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const input = { ...jsonBody(request), meetingId };
    return apiSchedule(reply, 200, () => runCommand(app, (trx, options) => rescheduleMeeting(trx, actor, asInput<typeof RescheduleMeetingInput>(input), options)));
  });

  app.post<{ Params: { id: string } }>('/api/v1/work/meetings/:id/cancel', clerkOnly, async (request) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const input = { ...jsonBody(request), meetingId };
    const result = await runCommand(app, (trx, options) => cancelMeeting(trx, actor, asInput<typeof CancelMeetingInput>(input), options));
    const meeting = await findCalendarMeeting(db, result.meetingId);
    if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
    return { ...presentScheduledMeeting(meeting, app.ctx.config.publicUrl), questionsToMove: result.questionsToMove };
  });

  await app.register(mayorsReportRoutes);
}

