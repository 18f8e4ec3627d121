import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

const ownerChange = z.object({
  accountId: z.string(),
  previousOwnerEmployeeId: z.string().nullable(),
  ownerEmployeeId: z.string().nullable(),
});
export type AccountOwnerChange = z.output<typeof ownerChange>;

/**
 * A client company (account) given another account manager, emitted in the transaction of the
 * change, after it: for the modules whose work follows the company's manager (the open cases of
 * its customers). Ids only.
 */
export const accountOwnerChanged = defineEvent('account.owner-changed', ownerChange);
