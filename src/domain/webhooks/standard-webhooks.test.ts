import { describe, expect, it } from 'vitest';
import {
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  formatSecret,
  judgeAnswer,
  retryDelay,
  secretKey,
  signedContent,
  webhookBody,
  webhookHeaders,
} from './standard-webhooks.ts';
import { slackMessage, teamsMessage } from './chat-formats.ts';

describe('Standard Webhooks', () => {
  it('formats a whsec_ secret and reads its key bytes back', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const secret = formatSecret(bytes);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(secret)).toEqual(bytes);
    expect(secretKey('sk_live_nope')).toBeNull();
    expect(secretKey('whsec_!!!')).toBeNull();
    expect(secretKey('whsec_c2hvcnQ=')).toBeNull();
    expect(() => formatSecret(new Uint8Array(8))).toThrow(RangeError);
  });

  it('takes 24 to 64 random bytes for a secret, and reads back a key of 24 or more', () => {
    for (const length of [24, 64]) {
      const bytes = Uint8Array.from({ length }, (_, i) => 255 - i);
      expect(secretKey(formatSecret(bytes))).toEqual(bytes);
    }
    for (const length of [23, 65]) {
      expect(() => formatSecret(new Uint8Array(length)), `${length} bytes`).toThrow(
        /24 to 64 random bytes/,
      );
    }
    // 23 key bytes are too few even when the text is well-formed.
    expect(secretKey(`whsec_${btoa('x'.repeat(23))}`)).toBeNull();
  });

  it('reads only whsec_ secrets: the same key under another prefix is none', () => {
    const secret = formatSecret(new Uint8Array(32).fill(42));
    expect(secretKey(secret)).not.toBeNull();
    expect(secretKey(secret.replace('whsec_', 'whkey_'))).toBeNull();
    expect(secretKey(secret.replace('whsec_', 'WHSEC_'))).toBeNull();
  });

  it('signs id.timestamp.body and lists one signature per valid secret', () => {
    expect(signedContent('msg_1', 1700000000, '{"a":1}')).toBe('msg_1.1700000000.{"a":1}');
    expect(webhookHeaders('msg_1', 1700000000, ['abc=', 'def='])).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': 'v1,abc= v1,def=',
    });
    expect(() => webhookHeaders('m', 1, [])).toThrow(/at least one signature/);
  });

  it('wraps data in { type, timestamp, data }', () => {
    expect(JSON.parse(webhookBody('case.opened', Date.UTC(2026, 10, 29), { caseId: 'c' }))).toEqual(
      {
        type: 'case.opened',
        timestamp: '2026-11-29T00:00:00.000Z',
        data: { caseId: 'c' },
      },
    );
  });

  it('retries ten times in all over about three days, growing', () => {
    expect(MAX_ATTEMPTS).toBe(10);
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(total).toBeGreaterThan(60);
    expect(total).toBeLessThan(80);
    for (let i = 1; i < RETRY_DELAYS_MS.length; i++) {
      expect(RETRY_DELAYS_MS[i]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[i - 1] ?? 0);
    }
    expect(retryDelay(1)).toBe(5000);
    expect(retryDelay(2)).toBe(300_000);
    expect(retryDelay(99)).toBe(20 * 3_600_000);
  });

  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 20 h: 71 h 35 min 5 s in all', () => {
    const s = 1000;
    const min = 60 * s;
    const h = 60 * min;
    const delays = [5 * s, 5 * min, 30 * min, 2 * h, 5 * h, 10 * h, 14 * h, 20 * h, 20 * h];
    expect(Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelay(i + 1))).toEqual(delays);
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBe(71 * h + 35 * min + 5 * s);
    // A retry after the last attempt (by hand) waits the last delay again.
    expect(retryDelay(MAX_ATTEMPTS)).toBe(20 * h);
    expect(retryDelay(MAX_ATTEMPTS + 1)).toBe(20 * h);
  });

  it('treats 2xx as delivered, 410 as gone, everything else as retry', () => {
    expect(judgeAnswer(200)).toBe('delivered');
    expect(judgeAnswer(204)).toBe('delivered');
    expect(judgeAnswer(299)).toBe('delivered');
    expect(judgeAnswer(199)).toBe('retry');
    expect(judgeAnswer(100)).toBe('retry');
    expect(judgeAnswer(300)).toBe('retry');
    expect(judgeAnswer(0)).toBe('retry');
    expect(judgeAnswer(410)).toBe('gone');
    expect(judgeAnswer(301)).toBe('retry');
    expect(judgeAnswer(500)).toBe('retry');
    expect(judgeAnswer(404)).toBe('retry');
    expect(judgeAnswer(null)).toBe('retry');
  });
});

describe('chat formats', () => {
  const m = {
    title: 'Nieuwe zaak: score 3 <urgent>',
    facts: [['Score', '3']] as const,
    link: { label: 'Zaak openen', url: 'https://x.test/admin/cases/1' },
  };
  it('gives Slack mrkdwn text with an escaped title and a link', () => {
    expect(slackMessage(m).text).toBe(
      '*Nieuwe zaak: score 3 &lt;urgent&gt;*\nScore: 3\n<https://x.test/admin/cases/1|Zaak openen>',
    );
  });
  it('escapes & too, and leaves the link line out when there is none', () => {
    expect(slackMessage({ title: 'A & B', facts: [['K&V', '<1>']], link: null }).text).toBe(
      '*A &amp; B*\nK&amp;V: &lt;1&gt;',
    );
  });
  it('gives Teams the whole card the Workflows webhook expects', () => {
    expect(teamsMessage(m)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: m.title, weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'FactSet', facts: [{ title: 'Score', value: '3' }] },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Zaak openen', url: m.link.url }],
          },
        },
      ],
    });
    expect(teamsMessage({ ...m, link: null })).not.toHaveProperty('attachments.0.content.actions');
  });
  it('gives Teams an Adaptive Card attachment', () => {
    const card = teamsMessage(m) as {
      attachments: { contentType: string; content: { type: string; actions: unknown[] } }[];
    };
    expect(card.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]?.content.type).toBe('AdaptiveCard');
    expect(card.attachments[0]?.content.actions).toHaveLength(1);
  });
});
