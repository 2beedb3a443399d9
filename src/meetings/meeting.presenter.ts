// The public shape of a meeting.
import type { findMeetingBySlug } from './meeting.queries.ts';

type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeetingBySlug>>>;

export const meetingTypeNames: Record<string, string> = {
  mqt: "Mayor's Question Time",
  plenary: 'Plenary',
  budget: 'Budget meeting',
  police_and_crime: 'Police and Crime Committee',
};

export function presentMeeting(m: MeetingRow, publicUrl: string) {
  return {
    slug: m.slug,
    url: `${publicUrl}/meetings/${m.slug}`,
    title: m.title,
    type: m.meeting_type,
    typeName: meetingTypeNames[m.meeting_type] ?? m.meeting_type,
    date: m.meets_on,
    startsAt: m.starts_at.toISOString(),
    place: m.place,
    tablingCutoffAt: m.tabling_cutoff_at.toISOString(),
    state: m.state,
  };
}
