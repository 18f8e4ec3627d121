import { inTransaction } from '../../platform/events/define-event.ts';
import { responseSaved } from '../responses/responses.events.ts';
import { accountOwnerChanged } from '../accounts/accounts.events.ts';
import { contactAccountChanged, contactOwnerChanged } from '../contacts/contacts.events.ts';
import {
  applyAnswers,
  handOverCases,
  handOverCasesOfAccount,
  handOverCasesOfMovedCustomers,
} from './cases.service.ts';

/**
 * Every saved answer (new or edited, by any door) reaches the cases in its own transaction: a
 * detractor's case exists the moment the answer does, and an edit within the window updates it.
 */
export const casesFromAnswers = inTransaction(
  responseSaved,
  'cases.from-answers',
  (trx, events, ctx) => applyAnswers(trx, ctx.deps, events, ctx.now),
);

/** A customer moved to another account manager takes their open case along, in the same change. */
export const casesFollowTheirCustomer = inTransaction(
  contactOwnerChanged,
  'cases.follow-customer',
  (trx, events, ctx) => handOverCases(trx, ctx.deps, events, ctx.now),
);

/**
 * A customer moved to another company takes along the open case that went to the company's
 * manager, in the same change.
 */
export const casesFollowTheirCustomerToAnotherAccount = inTransaction(
  contactAccountChanged,
  'cases.follow-customer-account',
  (trx, events, ctx) => handOverCasesOfMovedCustomers(trx, ctx.deps, events, ctx.now),
);

/**
 * A company given another account manager hands its customers' open cases that went to the
 * company's manager to the new one, in the same change.
 */
export const casesFollowTheirAccountManager = inTransaction(
  accountOwnerChanged,
  'cases.follow-account-manager',
  (trx, events, ctx) => handOverCasesOfAccount(trx, ctx.deps, events, ctx.now),
);
