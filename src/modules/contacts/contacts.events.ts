import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

const ownerChange = z.object({
  contactId: z.string(),
  previousOwnerEmployeeId: z.string().nullable(),
  ownerEmployeeId: z.string().nullable(),
});
export type ContactOwnerChange = z.output<typeof ownerChange>;

/**
 * A customer moved to another account manager — by a person, the API or an import — emitted in
 * the transaction of the change, for the modules whose work follows the customer's manager (an
 * open case). Ids only.
 */
export const contactOwnerChanged = defineEvent('contact.owner-changed', ownerChange);

const accountChange = z.object({
  contactId: z.string(),
  previousAccountId: z.string().nullable(),
  accountId: z.string().nullable(),
});
export type ContactAccountChange = z.output<typeof accountChange>;

/**
 * A customer moved to another client company (account) — by a person, the API or an import —
 * emitted in the transaction of the change, after it: for the modules whose work follows the
 * company's account manager (an open case). Ids only.
 */
export const contactAccountChanged = defineEvent('contact.account-changed', accountChange);
