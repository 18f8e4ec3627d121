import type {
  resultsBreakdown,
  resultsOverview,
} from '../../../src/modules/analytics/insight.service.ts';
import type {
  myOrganisationsSchema,
  switchedSchema,
} from '../../../src/modules/auth/organisation-switch.ts';
import type { acrossOrganisationsSchema } from '../../../src/modules/analytics/across-organisations.ts';
import type { loyaltyReport } from '../../../src/modules/loyalty/loyalty.service.ts';
import type { contactVisits } from '../../../src/modules/visits/visits.service.ts';
/**
 * The JSON shapes the admin app reads, as the API's presenters spell them out. Kept in one file so
 * a change to a presenter shows up as a compile error in the screens that use it.
 */
import type { z } from 'zod';
import type { MailTestResult } from '../../../src/modules/mail-server/mail-server.service.ts';

import type { OrganisationJson } from '../../../src/modules/organisations/organisations.presenter.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** The organisation and its settings, as its presenter returns them. */
export type Organisation = OrganisationJson;
export type OrganisationSettings = OrganisationJson['settings'];
/** The contact-frequency rules (PRODUCT.md principle 3), one set per organisation. */
export type ContactRules = OrganisationSettings['contactRules'];

export type { MeJson as Me } from '../../../src/modules/organisations/me.schemas.ts';
export type { ContactJson as Contact } from '../../../src/modules/contacts/contacts.presenter.ts';
export type ContactStatus = Contact['status'];
import type { ContactJson as Contact } from '../../../src/modules/contacts/contacts.presenter.ts';
import type { consentEventSchema } from '../../../src/modules/contacts/contacts.presenter.ts';
export type ConsentEvent = z.output<typeof consentEventSchema>;
export type { AccountJson as Account } from '../../../src/modules/accounts/accounts.service.ts';
export type { EmployeeJson as Employee } from '../../../src/modules/employees/employees.service.ts';
export type { LocationJson as Location } from '../../../src/modules/locations/locations.service.ts';
export type { DigestSettingJson as DigestSetting } from '../../../src/modules/digest/digest.service.ts';
export type {
  MemberJson as Member,
  OpenInviteJson as Invite,
  PublicInviteJson as PublicInvite,
} from '../../../src/modules/users/users.service.ts';
export type { ApiKeyJson as ApiKey } from '../../../src/modules/api-keys/api-keys.service.ts';

import type {
  listUnknownLocations,
  listUnknownOwners,
} from '../../../src/modules/imports/imports.service.ts';

// The import API's shapes come straight from its presenter, so a change there is a compile error
// here (type-only imports: nothing of the server is bundled).
export type {
  ImportJson,
  ImportErrorJson,
} from '../../../src/modules/imports/imports.presenter.ts';
export type { ImportStatus } from '../../../src/db/schema.ts';
export type UnknownOwnersJson = Awaited<ReturnType<typeof listUnknownOwners>>;
/** The unknown names of a column the owner decides on: account managers or locations. */
export type UnknownNamesJson = UnknownOwnersJson | Awaited<ReturnType<typeof listUnknownLocations>>;

export type { SurveyJson as Survey } from '../../../src/modules/surveys/surveys.presenter.ts';
export type { SurveyTexts } from '../../../src/modules/surveys/survey-settings.ts';

/** NPS of a group, the results summary and the trend, as the analytics presenters return them. */
export type {
  AnswerJson as ResponseJson,
  SummaryJson as ResultsSummary,
  TrendJson,
} from '../../../src/modules/analytics/analytics.schemas.ts';
import type { npsJsonSchema } from '../../../src/modules/analytics/analytics.schemas.ts';
export type NpsJson = z.output<typeof npsJsonSchema>;

/** The first screen (GET /results/overview). */
export type OverviewJson = Awaited<ReturnType<typeof resultsOverview>>;
/** An account manager's own results and a manager's team (GET /results/employees/:id, /results/team). */
export type {
  EmployeeInsightJson,
  TeamInsightJson,
  ThemesJson,
} from '../../../src/modules/analytics/analytics.schemas.ts';
/** NPS per group of a dimension (GET /results/breakdown). */
export type BreakdownJson = Awaited<ReturnType<typeof resultsBreakdown>>;

export type { NpsCategory as Category } from '../../../src/domain/scoring/nps.ts';

/** An email in the outbox, as the server presents it (types only: no server code in the bundle). */
export type {
  EmailSummaryJson as EmailSummary,
  EmailJson,
} from '../../../src/modules/email/outbox.presenter.ts';

/** What sending does with the mail right now (preview and send answers). */
export type Delivery = SendPreview['delivery'];
import type { SendPreviewJson as SendPreview } from '../../../src/modules/invitations/invitations.presenter.ts';

/** Whether mail of the organisation really leaves (GET /mail-server/status). */
export type { MailStatusJson as MailStatus } from '../../../src/modules/mail-server/mail-server.schemas.ts';
/** The mail settings screen (GET/PUT/DELETE /mail-server). */
export type { MailSettingsJson as MailSettings } from '../../../src/modules/mail-server/mail-server.schemas.ts';
export type { MailTestResult };

/** The owner's first-run checklist (GET /onboarding). */
export type { OnboardingJson as Onboarding } from '../../../src/modules/onboarding/onboarding.service.ts';

/** What a send would do (POST /surveys/:id/sends/preview). */
export type {
  SendPreviewJson as SendPreview,
  CaseFollowUpJson,
  InvitationJson,
} from '../../../src/modules/invitations/invitations.presenter.ts';

/** The loyalty report (GET /loyalty), as the server's service returns it. */
export type LoyaltyReport = Awaited<ReturnType<typeof loyaltyReport>>;
/** A lapsed-promoter task (GET /loyalty/tasks). */
export type { LoyaltyTaskJson } from '../../../src/modules/loyalty/loyalty.schemas.ts';
export type { NotificationJson } from '../../../src/modules/notifications/notifications.schemas.ts';

/** A contact's visits and rhythm (GET /contacts/:id/visits). */
export type ContactVisits = Awaited<ReturnType<typeof contactVisits>>;

export type {
  AmbassadorDetailJson as AmbassadorDetail,
  DashboardJson as ProgrammeDashboard,
  ProgrammeJson as Programme,
  ReferralJson as Referral,
  RegisterRowJson as RegisterRow,
  RewardJson as Reward,
  RewardLedgerJson as RewardLedger,
  TaskJson as AmbassadorTask,
} from '../../../src/modules/ambassadors/ambassadors.schemas.ts';
export type { VoucherCheckJson as VoucherCheck } from '../../../src/modules/ambassadors/ambassadors.schemas.ts';

import type {
  caseReport,
  getCase,
  listCases,
} from '../../../src/modules/cases/case-views.service.ts';

/** The case inbox (GET /cases), one case of it, one case with its history, the closed-loop report. */
export type CaseList = Awaited<ReturnType<typeof listCases>>;
export type CaseSummary = CaseList['items'][number];
export type CaseDetail = Awaited<ReturnType<typeof getCase>>;
export type CaseReportJson = Awaited<ReturnType<typeof caseReport>>;
/** Why a case went to another owner without anyone assigning it (an `assigned` log line). */
export type { HandOverReason } from '../../../src/modules/cases/cases.service.ts';

/** The organisation switcher's list, a switch's answer and the owner's overview (issue 13). */
export type MyOrganisations = z.output<typeof myOrganisationsSchema>;
export type SwitchedOrganisation = z.output<typeof switchedSchema>;
export type OrganisationsOverview = z.output<typeof acrossOrganisationsSchema>;

/** The review sites and the disclosure page (GET/PUT /review-settings, issue 12). */
export type { ReviewSettingsJson as ReviewSettings } from '../../../src/modules/reviews/reviews.schemas.ts';
export type { ReviewSiteKind } from '../../../src/domain/reviews/review-sites.ts';
