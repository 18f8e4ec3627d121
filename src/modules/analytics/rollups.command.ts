import { defineRebuildCommand } from '../../platform/rebuild-command.ts';
import { rebuildRollups } from './rollups.service.ts';

/**
 * `loyaal rollups rebuild [--org ID]`: recounts the dashboards' rollups from the answers (and the
 * response funnel's from the invitations).
 */
export const rollupsCommand = defineRebuildCommand({
  name: 'rollups',
  what: 'rollups',
  help: `recount the results rollups from the answers and invitations
                                (all organisations or one); safe while Loyaal runs`,
  async rebuild(db, organisationId) {
    const done = await rebuildRollups(db, organisationId);
    return `${done.organisations} organisation(s), ${done.days} day(s)`;
  },
});
