import { defineRebuildCommand } from '../../platform/rebuild-command.ts';
import { rebuildLoyaltyFacts } from './contact-facts.service.ts';

/** `loyaal loyalty rebuild [--org ID]`: recomputes the loyalty report's facts per contact and revenue per month. */
export const loyaltyCommand = defineRebuildCommand({
  name: 'loyalty',
  what: 'loyalty facts',
  help: `recompute the loyalty report's facts per contact and revenue
                                per month from the answers, invitations and visits (all
                                organisations or one)`,
  async rebuild(db, organisationId) {
    const done = await rebuildLoyaltyFacts(db, Date.now(), organisationId);
    return `${done.organisations} organisation(s), ${done.contacts} contact(s), ${done.months} month(s)`;
  },
});
