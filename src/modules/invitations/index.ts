import { defineModule } from '../../platform/define-module.ts';
import { invitationBounce } from './invitation-bounces.ts';
import { invitationMailRetry, reminderMailRetry } from './invitation-mail-retry.ts';
import { remindInvitationHandler, sendInvitationHandler } from './invitations.job-handlers.ts';
import { invitationsHolder } from './invitations.personal-data.ts';
import { invitationRoutes } from './invitations.routes.ts';
import { unsubscribeRoutes } from './unsubscribe.routes.ts';

/**
 * Sends, waves, the contact rules at planning and at sending, reminders; the one-click unsubscribe
 * behind every invitation and reminder (`/u/:token`), and what a bounce of one does.
 */
export const invitationsModule = defineModule({
  name: 'invitations',
  routes: invitationRoutes,
  publicRoutes: unsubscribeRoutes,
  jobs: [sendInvitationHandler, remindInvitationHandler],
  personalData: [invitationsHolder],
  contributions: [invitationBounce, invitationMailRetry, reminderMailRetry],
});
