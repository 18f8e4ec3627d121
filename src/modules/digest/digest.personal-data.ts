import type { PersonalDataHolder } from '../../platform/contract.ts';
import { deleteDigestTokens } from './digest.repository.ts';

/**
 * The digest's unsubscribe tokens (one hash per sent digest) belong to members, never to a
 * customer: a contact's export has nothing from them and a contact's erasure changes nothing. They
 * still say that a member got a digest in a given week, so they are kept no longer than the
 * organisation's retention period (the digests' email rows lose address and subject then too; an
 * older link then says it no longer works), and those of a member who left go at the next run.
 */
export const digestTokensHolder: PersonalDataHolder = {
  name: 'digestTokens',
  async export() {
    return [];
  },
  async erase() {
    // Nothing names the contact.
  },
  async retain(db, organisationId, policy) {
    return {
      deletedDigestTokens: await deleteDigestTokens(
        db,
        organisationId,
        policy.cutoff,
        policy.limit,
      ),
    };
  },
};
