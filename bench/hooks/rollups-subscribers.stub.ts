import { inTransaction } from '../../src/platform/events/define-event.ts';
import { responseSaved } from '../../src/modules/responses/responses.events.ts';

/** The rollup subscriber under the same name, doing nothing (see without-rollup-upkeep.ts). */
export const updateRollups = inTransaction(responseSaved, 'analytics.rollups', async () => {});
