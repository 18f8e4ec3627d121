import type { Locale } from '../../db/schema.ts';
import { t } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import { newId, newToken, sha256 } from '../../shared/ids.ts';
import { queuedEmail, sendStoredMail } from '../email/deliver-mail.ts';
import { digestMessageId } from './digest-message-id.ts';
import { weekOf } from './digest-week.ts';
import * as emails from '../email/emails.repository.ts';
import { fromHeader, senderAddress } from '../email/mail-transport.ts';
import { resolveMailRoute } from '../mail-server/mail-server.service.ts';
import { escapeHtml } from '../public-pages/html.ts';
import type { OverviewJson } from '../analytics/analytics.schemas.ts';
import type { DigestContent } from './digest.service.ts';
import { insertDigestToken } from './digest.repository.ts';

/** The public path of a digest's one-click unsubscribe link (`/u/digest/<token>`). */
export const DIGEST_UNSUBSCRIBE_PATH = '/u/digest/';

const dateFormat = (locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: 'Europe/Amsterdam',
    day: 'numeric',
    month: 'long',
  });

/** A note's month (`2026-10`) as words: "oktober 2026" / "October 2026". */
function monthName(period: string, locale: Locale): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return period;
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: 'UTC',
    month: 'long',
    year: 'numeric',
  }).format(new Date(Date.UTC(year, month - 1, 15)));
}

/** An NPS or a change in whole points, with its sign: "+42", "−5", "0". */
function points(value: number, locale: Locale, signed: boolean): string {
  const rounded = Math.round(value);
  const text = new Intl.NumberFormat(locale === 'nl' ? 'nl-NL' : 'en-GB').format(Math.abs(rounded));
  if (rounded < 0) return `−${text}`;
  return signed && rounded > 0 ? `+${text}` : text;
}

/**
 * The change against the period before in plain words: from what to what, and whether that is a
 * real change or could be chance (the home screen's own test). No p-value: a manager reads words.
 */
function changeLine(o: OverviewJson, locale: Locale): string {
  if (o.change.change === null || o.nps === null || o.previous.nps === null) {
    return t(locale, 'digest.change_none');
  }
  const before = Math.round(o.previous.nps);
  const after = Math.round(o.nps);
  const params = { before: points(before, locale, true), after: points(after, locale, true) };
  if (before === after) return t(locale, 'digest.change_same', params);
  const real = o.change.real;
  if (after > before) {
    return t(locale, real ? 'digest.change_rose_real' : 'digest.change_rose_chance', params);
  }
  return t(locale, real ? 'digest.change_fell_real' : 'digest.change_fell_chance', params);
}

/** The lines of one period: NPS with interval and n, and the change in plain words. */
function periodLines(o: OverviewJson, locale: Locale): string[] {
  if (o.nps === null || o.interval === null) return [t(locale, 'digest.no_answers')];
  const lines = [
    t(locale, 'digest.nps_line', {
      nps: points(o.nps, locale, true),
      low: points(o.interval.low, locale, true),
      high: points(o.interval.high, locale, true),
      n: o.total,
    }),
  ];
  lines.push(changeLine(o, locale));
  return lines;
}

interface Section {
  title: string;
  lines: string[];
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/**
 * The digest in the member's language: the week's and the 90 days' NPS with interval, n and the
 * change in plain words (real, or could be chance), open and overdue cases, the week's celebrate/attention notes, a few
 * comments (score and text; no customer named), a link to the app and the unsubscribe link.
 */
export function renderDigestMail(
  content: DigestContent,
  facts: { organisationName: string; ownCustomersOnly: boolean },
  locale: Locale,
  urls: { app: string; unsubscribe: string },
): RenderedDigest {
  const days = dateFormat(locale);
  const subject = t(locale, 'digest.subject', {
    organisation: facts.organisationName,
    week: content.week.label.slice(-2).replace(/^0/, ''),
  });
  const intro = t(locale, 'digest.intro', {
    organisation: facts.organisationName,
    from: days.format(new Date(content.week.from)),
    to: days.format(new Date(content.week.to - 1)),
  });
  const sections: Section[] = [
    { title: t(locale, 'digest.week_title'), lines: periodLines(content.lastWeek, locale) },
    { title: t(locale, 'digest.quarter_title'), lines: periodLines(content.last90, locale) },
  ];
  if (content.cases) {
    sections.push({
      title: t(locale, 'digest.cases_title'),
      lines: [t(locale, 'digest.cases_line', content.cases)],
    });
  }
  if (content.notes.length > 0) {
    sections.push({
      title: t(locale, 'digest.notes_title'),
      lines: content.notes.map((n) =>
        t(locale, n.kind === 'celebrate' ? 'digest.note_celebrate' : 'digest.note_attention', {
          name: n.subject.name ?? t(locale, 'digest.note_nobody'),
          before: points(n.before.nps, locale, true),
          after: points(n.after.nps, locale, true),
          period: monthName(n.period, locale),
        }),
      ),
    });
  }
  if (content.comments.length > 0) {
    sections.push({
      title: t(locale, 'digest.comments_title'),
      lines: content.comments.map((c) => `${c.score}: ${c.comment}`),
    });
  }
  const head = [intro, ...(facts.ownCustomersOnly ? [t(locale, 'digest.scope_own')] : [])];
  const open = t(locale, 'digest.open_app');
  const footer = t(locale, 'digest.footer', { organisation: facts.organisationName });
  const stop = t(locale, 'digest.unsubscribe');
  const text = [
    ...head,
    '',
    ...sections.flatMap((s) => [s.title, ...s.lines.map((l) => `- ${l}`), '']),
    `${open}: ${urls.app}`,
    '',
    footer,
    `${stop}: ${urls.unsubscribe}`,
  ].join('\n');
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;color:#1b1b1b;max-width:40rem">
${head.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${sections
  .map(
    (s) =>
      `<h2 style="font-size:1.1rem;margin:1.25rem 0 .5rem">${escapeHtml(s.title)}</h2><ul style="padding-left:1.25rem;margin:0">${s.lines
        .map((l) => `<li style="margin:.25rem 0;white-space:pre-wrap">${escapeHtml(l)}</li>`)
        .join('')}</ul>`,
  )
  .join('\n')}
<p style="margin-top:1.5rem"><a href="${escapeHtml(urls.app)}" style="display:inline-block;padding:10px 16px;background:#1f6f5c;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(open)}</a></p>
<p style="color:#555;font-size:.9rem">${escapeHtml(footer)} <a href="${escapeHtml(urls.unsubscribe)}">${escapeHtml(stop)}</a></p>
</body></html>`;
  return { subject, text, html };
}

const digestHeaders = (senderName: string, fromAddress: string, unsubscribeUrl: string) => ({
  From: fromHeader(`Loyaal · ${senderName}`, fromAddress),
  'List-Unsubscribe': `<${unsubscribeUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});

/** The unsubscribe link a stored digest carries (null once retention emptied its headers). */
function storedUnsubscribeUrl(headers: string): string | null {
  const value = (JSON.parse(headers) as Record<string, string>)['List-Unsubscribe'] ?? '';
  return /^<(.+)>$/.exec(value)?.[1] ?? null;
}

/**
 * Writes one member's digest of one week to `emails` and hands it to the organisation's mail
 * route: its own server, the installation's, or the local outbox (kept, never sent). The
 * Message-ID is the member's and the week's, so a retry sends the same message and never a second
 * one. A fresh unsubscribe token is made with the row and its hash kept beside it, one per digest,
 * so every digest's link keeps working; a retry reuses the row, and so its link, and writes the
 * digest as it reads now over it (figures, cases and notes of the week as they are at this attempt).
 * A temporary failure throws so the job retries; the row says why it waits.
 */
export async function sendDigestMail(
  deps: Deps,
  organisationId: string,
  digest: {
    membershipId: string;
    week: string;
    to: string;
    senderName: string;
    render: (unsubscribeUrl: string) => RenderedDigest;
  },
  now: number,
): Promise<'sent' | 'held' | 'already' | 'rejected' | 'refused'> {
  const db = deps.db.kysely;
  const messageId = digestMessageId(deps, digest.week, digest.membershipId);
  const existing = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (existing && (existing.status === 'sent' || existing.status === 'held')) return 'already';
  // Refused for good by an earlier attempt (a reclaimed job): said as the server said it. Any other
  // failure (given up during an outage) goes out again, as the other mail does.
  if (existing && emails.refusedForGood(existing)) return refusalOf(existing);
  const route = await resolveMailRoute(db, deps.config, organisationId);
  const fromAddress =
    route.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
  if (existing) {
    // An earlier attempt wrote it and it did not go out: composed again for this attempt, with the
    // week's figures as they are now and the From of the mail route now, under the same
    // Message-ID and with the same unsubscribe link (its token's hash is kept beside the row).
    const unsubscribeUrl = storedUnsubscribeUrl(existing.headers);
    if (unsubscribeUrl) {
      const mail = digest.render(unsubscribeUrl);
      await emails.recomposeUnsentEmail(db, organisationId, existing.id, {
        to_address: digest.to,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        headers: JSON.stringify(digestHeaders(digest.senderName, fromAddress, unsubscribeUrl)),
      });
    }
  } else {
    const token = newToken();
    const unsubscribeUrl = `${deps.config.publicUrl.replace(/\/+$/, '')}${DIGEST_UNSUBSCRIBE_PATH}${token}`;
    const mail = digest.render(unsubscribeUrl);
    const headers = digestHeaders(digest.senderName, fromAddress, unsubscribeUrl);
    const row = queuedEmail(
      {
        organisationId,
        kind: 'weekly_digest',
        to: digest.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers,
        messageId,
        // In the month of the Monday it goes out (the week's end), whenever a retry composes it.
        placedAt: weekOf(digest.week)?.to ?? 0,
        transport: route.kind,
      },
      now,
    );

    await db.transaction().execute(async (trx) => {
      await emails.insertEmailIfAbsent(trx, row);
      await insertDigestToken(trx, {
        id: newId(),
        organisation_id: organisationId,
        membership_id: digest.membershipId,
        week: digest.week,
        token_hash: sha256(token),
        created_at: now,
      });
    });
  }
  const row = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (!row) return 'already';
  const { status } = await sendStoredMail(deps, organisationId, route, row);
  if (status === 'already-refused') return refusalOf(row);
  return status === 'already-sent' ? 'already' : status;
}

/** A final failure as the job reports it: the recipient's address, or the message after DATA. */
function refusalOf(row: Pick<emails.EmailRow, 'failure'>): 'rejected' | 'refused' {
  return row.failure === 'refused' ? 'refused' : 'rejected';
}
