// Converts between instants and the assembly's local time (Europe/London), where meeting days and deadlines live.

const LONDON = 'Europe/London';

const dayFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: LONDON, year: 'numeric', month: '2-digit', day: '2-digit' });
const offsetFormatter = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, timeZoneName: 'shortOffset' });

/** The calendar day in London at an instant, as YYYY-MM-DD. */
export function londonDate(instant: Date): string {
  return dayFormatter.format(instant);
}

function londonOffsetMinutes(instant: Date): number {
  const name = offsetFormatter.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** The instant at which London's clocks show the given day and time (HH:MM). */
export function londonDateTime(date: string, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const [year, month, day] = date.split('-').map(Number);
  const asUtc = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, hours ?? 0, minutes ?? 0);
  // Two passes settle the offset on either side of a clock change.
  let instant = new Date(asUtc - londonOffsetMinutes(new Date(asUtc)) * 60_000);
  instant = new Date(asUtc - londonOffsetMinutes(instant) * 60_000);
  return instant;
}

/** The last instant of a London calendar day: a deadline "by the end of" that day. */
export function endOfLondonDay(date: string): Date {
  return new Date(londonDateTime(date, '23:59').getTime() + 59_999);
}

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const timeOfDay = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });

/** "Wednesday 17 June 2009" for a calendar day. */
export function formatLongDate(date: string): string {
  return longDate.format(new Date(`${date}T00:00:00Z`)).replace(',', '');
}

/** "17 June 2009" for a calendar day. */
export function formatDate(date: string): string {
  return shortDate.format(new Date(`${date}T00:00:00Z`));
}

/** "10:00am" in London for an instant. */
export function formatTime(instant: Date): string {
  return timeOfDay.format(instant).replace(' ', '').toLowerCase();
}
