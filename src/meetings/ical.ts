// The iCalendar feed of upcoming meetings, built with ical-generator: one event per meeting, with a UID that never
// changes (the meeting's slug at the site's host), times in Europe/London, and cancelled meetings marked so.
import { TZDate } from '@date-fns/tz';
import ical, { ICalEventStatus } from 'ical-generator';
import { formatLongDate, formatTime, londonDate } from '../calendar/london-time.ts';
import type { CalendarMeeting } from './calendar.queries.ts';

export const LONDON = 'Europe/London';
export const ICAL_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/**
 * Europe/London's rules since 1996 (EU summer time: last Sunday of March 01:00 UTC to last Sunday of October
 * 01:00 UTC), the one zone the assembly sits in. RFC 5545 wants a VTIMEZONE for every TZID a calendar uses.
 */
const LONDON_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${LONDON}`,
  `X-LIC-LOCATION:${LONDON}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/** A meeting with no recorded end is shown as lasting this long. */
const DEFAULT_EVENT_MINUTES = 150;

export function meetingUid(slug: string, publicUrl: string): string {
  let host = 'answerable.invalid';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // config refuses a malformed PUBLIC_URL; keep the default here
  }
  return `${slug}@${host}`;
}

export function meetingsFeed(meetings: readonly CalendarMeeting[], options: { publicUrl: string; siteName: string; now: Date }): string {
  // Only the zone's definition is given at calendar level: a calendar-level time zone would make ical-generator
  // write DTSTAMP in local time, which RFC 5545 forbids (it must be UTC).
  const calendar = ical({
    name: `${options.siteName}: meetings`,
    description: `Upcoming meetings of ${options.siteName}`,
    prodId: { company: 'Answerable', product: 'Meeting calendar', language: 'EN' },
    url: `${options.publicUrl}/calendar`,
    timezone: { name: null, generator: (zone) => (zone === LONDON ? LONDON_VTIMEZONE : null) },
    x: { 'X-WR-TIMEZONE': LONDON },
  });
  for (const m of meetings) {
    const url = `${options.publicUrl}/meetings/${m.slug}`;
    const end = m.endsAt ?? new Date(m.startsAt.getTime() + DEFAULT_EVENT_MINUTES * 60_000);
    const lines = [
      m.state === 'cancelled' ? 'This meeting has been cancelled.' : null,
      `Questions cut-off: ${formatLongDate(londonDate(m.tablingCutoffAt))} at ${formatTime(m.tablingCutoffAt)}.`,
      m.mayorsReportDueOn ? `Mayor's report due: ${formatLongDate(m.mayorsReportDueOn)}.` : null,
      url,
    ].filter((l): l is string => l !== null);
    calendar.createEvent({
      id: meetingUid(m.slug, options.publicUrl),
      // TZDate carries the zone, so the wall-clock time written is London's whatever the server's own zone.
      start: new TZDate(m.startsAt.getTime(), LONDON),
      end: new TZDate(end.getTime(), LONDON),
      timezone: LONDON,
      stamp: options.now,
      sequence: m.revisions,
      summary: m.title,
      location: m.place,
      description: lines.join('\n'),
      url,
      status: m.state === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

