import { defineModule } from '../../platform/define-module.ts';
import { remindInvitationHandler, sendInvitationHandler } from './invitations.job-handlers.ts';
import { invitationsHolder } from './invitations.personal-data.ts';
import { invitationRoutes } from './invitations.routes.ts';

/** Sends, waves, the contact rules at planning and at sending, reminders. */
export const invitationsModule = defineModule({
  name: 'invitations',
  routes: invitationRoutes,
  jobs: [sendInvitationHandler, remindInvitationHandler],
  personalData: [invitationsHolder],
});
