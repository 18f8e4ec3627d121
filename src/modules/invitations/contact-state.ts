import type {
  AccountInvitation,
  ContactHistory,
  ContactState,
} from '../../domain/contact-rules/contact-rules.ts';
import type { ContactStateRow } from '../contacts/contacts.repository.ts';
import type { HistoryRow } from './invitations.repository.ts';

/** A contact row as the pure rules see it. */
export function toContactState(row: ContactStateRow): ContactState {
  return {
    id: row.id,
    unsubscribed: row.unsubscribed_at !== null,
    bounced: row.bounced_at !== null,
    erased: row.erased_at !== null,
    hasEmail: !!row.email,
    consent: row.consent_status,
  };
}

/** When an invitation counts as asked: when it was sent, else when it is planned. */
export const askedAt = (row: Pick<HistoryRow, 'planned_at' | 'sent_at'>): number =>
  row.sent_at ?? row.planned_at;

/** History rows indexed per contact and per account, in the shapes `decideInvitation` takes. */
export interface HistoryIndex {
  byContact: Map<string, number[]>;
  byAccount: Map<string, AccountInvitation[]>;
}

export function indexHistory(rows: readonly HistoryRow[]): HistoryIndex {
  const byContact = new Map<string, number[]>();
  const byAccount = new Map<string, AccountInvitation[]>();
  for (const row of rows) {
    const at = askedAt(row);
    const own = byContact.get(row.contact_id);
    if (own) own.push(at);
    else byContact.set(row.contact_id, [at]);
    if (row.account_id !== null) {
      const entry = { contactId: row.contact_id, invitedAt: at };
      const list = byAccount.get(row.account_id);
      if (list) list.push(entry);
      else byAccount.set(row.account_id, [entry]);
    }
  }
  return { byContact, byAccount };
}

export function contactHistoryOf(
  index: HistoryIndex,
  contactId: string,
  lastRespondedAt: number | null,
): ContactHistory {
  return { invitedAt: index.byContact.get(contactId) ?? [], lastRespondedAt };
}

/**
 * The invitations a planned invitation must respect when it is finally sent: those already sent,
 * and those due before it (earlier `(planned_at, id)`). Later ones are ignored: they will re-check
 * against this one when their turn comes. The total order makes two jobs running at the same
 * moment for one contact (or one account) agree on which of them goes, without a lock.
 */
export function historyBefore(
  rows: readonly HistoryRow[],
  self: { id: string; planned_at: number },
): HistoryRow[] {
  return rows.filter(
    (r) =>
      r.id !== self.id &&
      (r.sent_at !== null ||
        r.planned_at < self.planned_at ||
        (r.planned_at === self.planned_at && r.id < self.id)),
  );
}
