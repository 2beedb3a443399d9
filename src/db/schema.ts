// Kysely's view of the tables in migrations/: one interface per table, kept in step with the SQL by hand.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A calendar day as 'YYYY-MM-DD' (pg's DATE parser is set to return the string untouched). */
type DateColumn = string;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PeopleTable {
  id: Generated<number>;
  slug: string;
  name: string;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  biography: string | null;
  source: string | null;
  source_id: string | null;
  created_at: CreatedAt;
}

export type OrganisationClassification = 'assembly' | 'party_group' | 'executive' | 'functional_body' | 'other';

export interface OrganisationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  short_name: string | null;
  abbreviation: string | null;
  classification: OrganisationClassification;
  parent_id: number | null;
  founded_on: DateColumn | null;
  dissolved_on: DateColumn | null;
  source: string | null;
  source_id: string | null;
  created_at: CreatedAt;
}

export type MembershipRole = 'member' | 'leader' | 'mayor' | 'deputy_mayor' | 'commissioner' | 'chair' | 'officer';
export type MembershipEndReason = 'term_ended' | 'resigned' | 'changed_group' | 'retired' | 'died' | 'removed' | 'lost_election';

export interface MembershipsTable {
  id: Generated<number>;
  person_id: number;
  organisation_id: number;
  role: MembershipRole;
  label: string | null;
  start_date: DateColumn;
  end_date: DateColumn | null;
  end_reason: MembershipEndReason | null;
  source: string | null;
  source_id: string | null;
  created_at: CreatedAt;
}

export interface AssemblyRulesTable {
  assembly_id: number;
  mqt_meetings_per_year: Generated<number>;
  min_days_between_mqt: Generated<number>;
  first_mqt_within_days_of_election: Generated<number>;
  mayors_report_clear_working_days: Generated<number>;
  tabling_cutoff_working_days: Generated<number>;
  oral_questions_per_member: number | null;
  written_questions_per_member: number | null;
  answer_deadline_working_days: Generated<number>;
  service_standard_days: Generated<number>;
  overdue_after_working_days: Generated<number>;
  very_overdue_after_working_days: Generated<number>;
  notice: string | null;
  updated_at: UpdatedAt;
}

export interface PreElectionPeriodsTable {
  id: Generated<number>;
  starts_on: DateColumn;
  ends_on: DateColumn;
  description: string;
}

export interface TopicsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string | null;
}

export type MeetingType = 'mqt' | 'plenary' | 'budget' | 'police_and_crime';
export type MeetingState = 'scheduled' | 'held' | 'cancelled';

export interface MeetingsTable {
  id: Generated<number>;
  slug: string;
  assembly_id: number;
  meeting_type: MeetingType;
  title: string;
  meets_on: DateColumn;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  place: string;
  tabling_cutoff_at: Timestamp;
  mayors_report_due_on: DateColumn | null;
  state: Generated<MeetingState>;
  created_at: CreatedAt;
}

export type AttendanceCapacity = 'member' | 'mayor' | 'deputy_mayor' | 'commissioner' | 'guest' | 'officer';

export interface MeetingAttendanceTable {
  meeting_id: number;
  person_id: number;
  capacity: AttendanceCapacity;
}

export interface MeetingPapersTable {
  id: Generated<number>;
  meeting_id: number;
  kind: 'mayors_report' | 'minutes';
  title: string;
  body: string;
  published_at: Timestamp | null;
  created_at: CreatedAt;
}

export type ReportDocumentMediaType =
  | 'application/pdf'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.oasis.opendocument.text'
  | 'text/plain';

export interface MeetingPaperDocumentsTable {
  paper_id: number;
  file_name: string;
  media_type: ReportDocumentMediaType;
  byte_size: number;
  sha256: string;
  content: Buffer;
  uploaded_at: Timestamp;
}

export type QuestionType = 'written' | 'oral' | 'supplementary';
export type QuestionState = 'draft' | 'tabled' | 'rejected' | 'accepted' | 'withdrawn';

export interface QuestionsTable {
  id: Generated<number>;
  reference_year: number | null;
  reference_number: number | null;
  question_type: QuestionType;
  state: QuestionState;
  title: string;
  body: string;
  asker_id: number;
  asked_of_id: number | null;
  /** Null only for questions imported from a system without meetings (UK Parliament written questions, say). */
  meeting_id: number | null;
  answering_body_id: number | null;
  parent_question_id: number | null;
  supplementary_number: number | null;
  follow_up_of_id: number | null;
  not_reached: Generated<boolean>;
  /** Asked on the Mayor's report (a stream of its own at MQT), marked by the clerk (migration 0004). */
  on_mayors_report: Generated<boolean>;
  tabled_at: Timestamp | null;
  decided_at: Timestamp | null;
  rejection_reason: string | null;
  asked_on: DateColumn | null;
  due_on: DateColumn | null;
  withdrawn_at: Timestamp | null;
  withdrawal_reason: string | null;
  source: string | null;
  source_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Migration 0008 (imports): the source's own reference, a digest of the imported record, named day, holding-answer day. */
  source_reference: string | null;
  source_digest: string | null;
  named_day: Generated<boolean>;
  holding_answered_on: DateColumn | null;
}

export interface ReferenceSequencesTable {
  year: number;
  last_number: number;
}

export interface QuestionTopicsTable {
  question_id: number;
  topic_id: number;
}

export type AnswerKind = 'holding' | 'substantive' | 'correction';

export interface AnswerVersionsTable {
  id: Generated<number>;
  question_id: number;
  version: number;
  kind: AnswerKind;
  delivery: Generated<'written' | 'oral'>;
  body: string;
  answered_by_id: number;
  answered_by_label: string;
  published_at: Timestamp;
  corrects_version_id: number | null;
  correction_note: string | null;
  created_at: CreatedAt;
  /** Migration 0008 (imports): where an imported version came from. */
  source: string | null;
  source_id: string | null;
}

export interface TranscriptTurnsTable {
  id: Generated<number>;
  meeting_id: number;
  question_id: number | null;
  position: number;
  speaker_id: number;
  body: string;
  created_at: CreatedAt;
}

export interface OrderPaperEntriesTable {
  meeting_id: number;
  question_id: number;
  position: number;
  reached: boolean | null;
  published_at: Timestamp | null;
}

export type UserRole = 'member' | 'staff' | 'press_officer' | 'clerk' | 'officer' | 'approver' | 'admin';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: UserRole;
  password_hash: string | null;
  person_id: number | null;
  acting_for_id: number | null;
  organisation_id: number | null;
  disabled_at: Timestamp | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  password_changed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface InstallationTable {
  singleton: Generated<boolean>;
  session_secret: string;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number | null;
  pending_user_id: number | null;
  csrf_secret: string;
  flash: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  email_lower: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Generated<Date>;
}

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  subject: string;
  body_text: string;
  message_id: string;
  state: Generated<OutboxState>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface AllocationsTable {
  id: Generated<number>;
  question_id: number;
  answering_body_id: number;
  officer_id: number | null;
  allocated_by_id: number | null;
  allocated_at: Generated<Date>;
  ended_at: Timestamp | null;
  transfer_reason: string | null;
}

export type DraftState = 'drafting' | 'submitted' | 'returned' | 'approved' | 'published' | 'abandoned';

export interface AnswerDraftsTable {
  id: Generated<number>;
  question_id: number;
  kind: AnswerKind;
  state: DraftState;
  body: string;
  corrects_version_id: number | null;
  correction_note: string | null;
  author_id: number | null;
  approved_by_id: number | null;
  approved_at: Timestamp | null;
  published_version_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DraftCommentsTable {
  id: Generated<number>;
  draft_id: number;
  author_id: number | null;
  body: string;
  created_at: CreatedAt;
}

export interface PressCategoriesTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export type PressReleaseState = 'draft' | 'scheduled' | 'published' | 'unpublished';

export interface PressReleasesTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  body_markdown: string;
  notes_to_editors: Generated<string>;
  author_id: number;
  party_group_id: number | null;
  state: PressReleaseState;
  embargo_until: Timestamp | null;
  published_at: Timestamp | null;
  unpublished_at: Timestamp | null;
  unpublish_reason: string | null;
  created_by_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PressReleaseCategoriesTable {
  press_release_id: number;
  category_id: number;
}

export interface PressReleaseQuotesTable {
  id: Generated<number>;
  press_release_id: number;
  position: number;
  person_id: number;
  body: string;
}

export interface PressReleaseCitationsTable {
  id: Generated<number>;
  press_release_id: number;
  position: number;
  question_id: number;
  answer_version_id: number;
  meeting_id: number | null;
  kind: 'written' | 'oral';
  pinned: Generated<boolean>;
}

export type AuditRecordType =
  | 'question'
  | 'answer_version'
  | 'answer_draft'
  | 'allocation'
  | 'meeting'
  | 'order_paper'
  | 'transcript'
  | 'person'
  | 'organisation'
  | 'membership'
  | 'user'
  | 'api_token'
  | 'session'
  | 'press_release'
  | 'import'
  | 'assembly';

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  actor_id: number | null;
  actor_label: string;
  action: string;
  record_type: AuditRecordType;
  record_id: number;
  from_state: string | null;
  to_state: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Generated<Date>;
}

/** 0005_search.sql: one narrow row per public question, kept current by triggers (src/search/). */
export interface QuestionSearchTable {
  question_id: number;
  reference_year: number;
  question_type: QuestionType;
  state: QuestionState;
  asker_id: number;
  group_id: number | null;
  answering_body_id: number | null;
  meeting_id: number | null;
  asked_on: DateColumn;
  due_on: DateColumn | null;
  has_holding: boolean;
  has_substantive: boolean;
  topic_ids: number[];
  document: string;
}

export interface Database {
  people: PeopleTable;
  organisations: OrganisationsTable;
  memberships: MembershipsTable;
  assembly_rules: AssemblyRulesTable;
  pre_election_periods: PreElectionPeriodsTable;
  topics: TopicsTable;
  meetings: MeetingsTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_papers: MeetingPapersTable;
  meeting_paper_documents: MeetingPaperDocumentsTable;
  questions: QuestionsTable;
  reference_sequences: ReferenceSequencesTable;
  question_topics: QuestionTopicsTable;
  answer_versions: AnswerVersionsTable;
  transcript_turns: TranscriptTurnsTable;
  order_paper_entries: OrderPaperEntriesTable;
  users: UsersTable;
  installation: InstallationTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  recovery_codes: RecoveryCodesTable;
  sign_in_attempts: SignInAttemptsTable;
  outbox: OutboxTable;
  allocations: AllocationsTable;
  answer_drafts: AnswerDraftsTable;
  draft_comments: DraftCommentsTable;
  press_categories: PressCategoriesTable;
  press_releases: PressReleasesTable;
  press_release_categories: PressReleaseCategoriesTable;
  press_release_quotes: PressReleaseQuotesTable;
  press_release_citations: PressReleaseCitationsTable;
  audit_events: AuditEventsTable;
  schema_migrations: SchemaMigrationsTable;
  question_search: QuestionSearchTable;
  question_references: QuestionReferencesTable;
  import_runs: ImportRunsTable;
  question_groupings: QuestionGroupingsTable;
  question_attachments: QuestionAttachmentsTable;
}

/** Migration 0008: one row per import run, with its summary. */
export interface ImportRunsTable {
  id: Generated<number>;
  format: 'uk-parliament' | 'popolo' | 'csv' | 'ndjson';
  source_name: string;
  state: Generated<'running' | 'finished' | 'failed'>;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  records: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  problems: ColumnType<unknown, string | undefined, string>;
  message: string | null;
}

export interface QuestionGroupingsTable {
  question_id: number;
  grouped_reference: string;
}

export interface QuestionAttachmentsTable {
  question_id: number;
  position: number;
  title: string;
  url: string | null;
  file_type: string | null;
  size_bytes: ColumnType<string | null, number | string | null, number | string | null>;
}

/** Migration 0006: references cited in question and answer text, kept by triggers (a superset; pages confirm). */
export interface QuestionReferencesTable {
  cited_year: number;
  cited_number: number;
  citing_question_id: number;
  source: 'question' | 'answer';
}

export type Question = Selectable<QuestionsTable>;
export type NewQuestion = Insertable<QuestionsTable>;
export type Person = Selectable<PeopleTable>;
export type Meeting = Selectable<MeetingsTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type AnswerVersion = Selectable<AnswerVersionsTable>;
