import type { LoyaalModule } from '../platform/define-module.ts';
import { accountsModule } from './accounts/index.ts';
import { ambassadorsModule } from './ambassadors/index.ts';
import { analyticsModule } from './analytics/index.ts';
import { apiKeysModule } from './api-keys/index.ts';
import { auditModule } from './audit/index.ts';
import { authModule } from './auth/index.ts';
import { casesModule } from './cases/index.ts';
import { contactsModule } from './contacts/index.ts';
import { demoModule } from './demo/index.ts';
import { digestModule } from './digest/index.ts';
import { emailModule } from './email/index.ts';
import { employeesModule } from './employees/index.ts';
import { importsModule } from './imports/index.ts';
import { locationsModule } from './locations/index.ts';
import { invitationsModule } from './invitations/index.ts';
import { mailServerModule } from './mail-server/index.ts';
import { onboardingModule } from './onboarding/index.ts';
import { organisationsModule } from './organisations/index.ts';
import { partitionsModule } from './partitions/index.ts';
import { privacyModule } from './privacy/index.ts';
import { responsesModule } from './responses/index.ts';
import { reviewsModule } from './reviews/index.ts';
import { surveysModule } from './surveys/index.ts';
import { notificationsModule } from './notifications/index.ts';
import { loyaltyModule } from './loyalty/index.ts';
import { usersModule } from './users/index.ts';
import { webhooksModule } from './webhooks/index.ts';
import { visitsModule } from './visits/index.ts';

/**
 * Every feature module of Loyaal, in one list. The server mounts their routes, the worker runs
 * their jobs and schedules, `emit` finds their subscribers, the privacy service walks their
 * personal-data holders, the CLI offers their commands — all from this list. Adding a capability
 * is adding a module here. Only `src/server` and `src/cli` import this file.
 */
export const modules: readonly LoyaalModule[] = [
  organisationsModule,
  authModule,
  usersModule,
  apiKeysModule,
  employeesModule,
  accountsModule,
  locationsModule,
  contactsModule,
  auditModule,
  privacyModule,
  importsModule,
  surveysModule,
  invitationsModule,
  emailModule,
  mailServerModule,
  onboardingModule,
  responsesModule,
  analyticsModule,
  casesModule,
  ambassadorsModule,
  reviewsModule,
  webhooksModule,
  visitsModule,
  loyaltyModule,
  notificationsModule,
  digestModule,
  partitionsModule,
  demoModule,
];
