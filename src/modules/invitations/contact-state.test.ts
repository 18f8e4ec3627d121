import { describe, expect, it } from 'vitest';
import { historyBefore, indexHistory } from './contact-state.ts';

const row = (id: string, plannedAt: number, sentAt: number | null = null, contact = 'c1') => ({
  id,
  contact_id: contact,
  account_id: 'a1',
  planned_at: plannedAt,
  sent_at: sentAt,
});

describe('send-time history', () => {
  it('keeps sent invitations and those due earlier, drops later and itself', () => {
    const rows = [row('b', 100), row('a', 200), row('c', 200), row('d', 300, 50), row('e', 400)];
    const kept = historyBefore(rows, { id: 'b2', planned_at: 200 }).map((r) => r.id);
    expect(kept).toEqual(['b', 'a', 'd']);
  });

  it('lets exactly one of two simultaneous invitations go', () => {
    const rows = [row('x', 100), row('y', 100)];
    expect(historyBefore(rows, { id: 'x', planned_at: 100 })).toHaveLength(0);
    expect(historyBefore(rows, { id: 'y', planned_at: 100 })).toHaveLength(1);
  });

  it('indexes by contact and account using the send time when known', () => {
    const index = indexHistory([row('a', 100, 150), row('b', 200, null, 'c2')]);
    expect(index.byContact.get('c1')).toEqual([150]);
    expect(index.byAccount.get('a1')).toEqual([
      { contactId: 'c1', invitedAt: 150 },
      { contactId: 'c2', invitedAt: 200 },
    ]);
  });
});
