// The demo storyline's press release (DOMAIN.md "The demo assembly"): Hannah Okoye's "Funding to counter human
// trafficking at risk", quoting the June oral answer and the May written answer from the record, published the day
// after Mayor's Question Time. Also ties the demo press officer to her party group.
import { londonDateTime } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { draftNotesToEditors } from '../press-releases/notes-to-editors.ts';
import { citationFacts } from '../press-releases/press-release.commands.ts';

const AUTHOR = 'hannah-okoye';
const GROUP = 'social-democrats';
export const DEMO_RELEASE_SLUG = 'funding-to-counter-human-trafficking-at-risk';

const BODY = [
  "Wexbridge's only police unit dedicated to fighting human trafficking could close next year, after the Mayor admitted at Mayor's Question Time that its funding beyond March 2010 has not been secured.",
  'The Human Trafficking Unit was launched in March 2007, fully funded by the Home Office. That funding has tapered away: this year the Home Office paid half of the unit\'s costs, £435,000, as a *final one-off payment*, and it will pay nothing in 2010/11.',
  'The Mayor told the Assembly that the police are reviewing their whole response to immigration crime and trafficking, and would not give a guarantee about the unit before the review reports.',
].join('\n\n');

const QUOTE =
  'This unit is the only team in the city whose whole job is to find women and children who are being bought and sold. The Mayor has confirmed that nobody has found the money to keep it going after March. Warm words about reviews are no comfort to the victims it has yet to find, and I will keep pressing the Mayor until its future is secure.';

/** Loads the release when the storyline's two questions are in the demo (by their titles and asker). */
export async function loadDemoPressReleases(trx: Db, questionIds: ReadonlyMap<string, number>): Promise<void> {
  const author = await trx.selectFrom('people').select('id').where('slug', '=', AUTHOR).executeTakeFirst();
  const group = await trx.selectFrom('organisations').select('id').where('slug', '=', GROUP).executeTakeFirst();
  if (!author || !group) return;
  await trx.updateTable('users').set({ organisation_id: group.id }).where('role', '=', 'press_officer').where('organisation_id', 'is', null).execute();

  const oralId = questionIds.get('pol-trafficking-unit-funding-june-2009');
  const writtenId = questionIds.get('pol-trafficking-women-may-2009');
  if (oralId === undefined || writtenId === undefined) return;
  const cited = [];
  for (const questionId of [oralId, writtenId]) {
    const version = await trx
      .selectFrom('answer_versions')
      .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
      .select(['answer_versions.id', 'answer_versions.delivery', 'questions.meeting_id'])
      .where('answer_versions.question_id', '=', questionId)
      .where('answer_versions.kind', '<>', 'holding')
      .orderBy('answer_versions.version', 'desc')
      .executeTakeFirst();
    if (!version) return;
    const kind = version.delivery === 'oral' ? ('oral' as const) : ('written' as const);
    cited.push({ questionId, answerVersionId: version.id, kind, meetingId: kind === 'oral' ? version.meeting_id : null });
  }
  const publishedAt = londonDateTime('2009-06-18', '10:00');
  const notes = draftNotesToEditors(await citationFacts(trx, cited), '2009-06-18');
  const release = await trx
    .insertInto('press_releases')
    .values({
      slug: DEMO_RELEASE_SLUG,
      headline: 'Funding to counter human trafficking at risk',
      body_markdown: BODY,
      notes_to_editors: notes,
      author_id: author.id,
      party_group_id: group.id,
      state: 'published',
      published_at: publishedAt,
      created_at: publishedAt,
      updated_at: publishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('press_release_quotes').values({ press_release_id: release.id, position: 1, person_id: author.id, body: QUOTE }).execute();
  await trx
    .insertInto('press_release_citations')
    .values(cited.map((c, i) => ({ press_release_id: release.id, position: i + 1, question_id: c.questionId, answer_version_id: c.answerVersionId, kind: c.kind, meeting_id: c.meetingId })))
    .execute();
  await trx.insertInto('press_categories').values({ slug: 'policing', name: 'Policing' }).onConflict((oc) => oc.column('slug').doNothing()).execute();
  const policing = await trx.selectFrom('press_categories').select('id').where('slug', '=', 'policing').executeTakeFirstOrThrow();
  await trx.insertInto('press_release_categories').values({ press_release_id: release.id, category_id: policing.id }).execute();
  await trx.insertInto('audit_events').values({ actor_label: 'demo', action: 'press_release.loaded', record_type: 'press_release', record_id: release.id, to_state: 'published' }).execute();
}
