import type { Locale } from '../../db/schema.ts';
import type { CustomerT } from '../../i18n/messages.ts';
import { escapeHtml, html } from '../public-pages/html.ts';
import { renderPage } from '../public-pages/page-layout.ts';

/**
 * The programme's public pages: the ambassador's share page, the friend's page and its thank-you,
 * the voucher, and the counter's redeem screen. Server-rendered in the public-page kit's layout
 * (system fonts, nonce CSP, works without JavaScript; the one script copies the link).
 */
export interface Frame {
  locale: Locale;
  nonce: string;
  brandColor: string;
  organisationName: string;
  logoUrl: string | null;
  t: CustomerT;
}

const EXTRA_CSS = `
.share{display:flex;gap:8px;margin:0 0 1rem}
.share input{flex:1;min-width:0;font:inherit;padding:10px;border:2px solid #5c5c5c;border-radius:8px}
.share button{width:auto}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.5rem;font-weight:700;letter-spacing:.08em}
.qr{width:180px;height:180px;margin:0 0 1rem}
.qr svg{width:100%;height:100%}
.row{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 1rem}
.row .button{width:auto;flex:1 1 12rem}
.field input[type=text],.field input[type=email],.field input[type=tel]{display:block;width:100%;font:inherit;padding:10px;border:2px solid #5c5c5c;border-radius:8px;min-height:48px}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.ok{border-left:4px solid #1f6f3c;background:#e8f5ec;padding:10px 12px;margin:0 0 1rem}
table.list{width:100%;border-collapse:collapse;margin:0 0 1rem}
table.list td{padding:6px 4px;border-bottom:1px solid #ddd;vertical-align:top}
.muted{color:#454545;font-size:.9375rem}
@media print{body{background:#fff}main{box-shadow:none}.noprint{display:none!important}}
`;

function page(f: Frame, title: string, body: string, script: string | null = null): string {
  return renderPage({
    locale: f.locale,
    title,
    nonce: f.nonce,
    brandColor: f.brandColor,
    organisationName: f.organisationName,
    logoUrl: f.logoUrl,
    body,
    script,
    extraCss: EXTRA_CSS,
  });
}

const COPY_SCRIPT = `document.querySelectorAll("[data-copy]").forEach(function(b){b.hidden=false;b.addEventListener("click",function(){var i=document.getElementById(b.getAttribute("data-copy"));if(!i)return;i.select();(navigator.clipboard?navigator.clipboard.writeText(i.value):Promise.reject()).then(function(){b.textContent=b.getAttribute("data-done")},function(){document.execCommand&&document.execCommand("copy")})})});`;

export interface SharePageModel {
  frame: Frame;
  firstName: string | null;
  offer: string;
  friendOffer: string | null;
  linkUrl: string;
  code: string;
  qrSvg: string;
  whatsappUrl: string;
  showName: boolean;
  fullName: string | null;
  nameAction: string;
  unsubscribeUrl: string;
  paused: boolean;
  referrals: number;
  conversions: number;
  rewards: { description: string; status: string; url: string | null; validUntil: string | null }[];
  notice: string | null;
}

/** The ambassador's own page: their link, code and QR, what they earn, their rewards. */
export function renderSharePage(m: SharePageModel): string {
  const { t } = m.frame;
  const title = t('page.amb.share.title');
  const body = html([
    `<h1>${escapeHtml(m.firstName ? t('page.amb.share.hello', { name: m.firstName }) : title)}</h1>`,
    m.notice && `<p class="ok" role="status">${escapeHtml(m.notice)}</p>`,
    m.paused && `<p class="notice">${escapeHtml(t('page.amb.share.paused'))}</p>`,
    `<p>${escapeHtml(m.offer)}</p>`,
    m.friendOffer &&
      `<p>${escapeHtml(t('page.amb.share.friendGets', { offer: m.friendOffer }))}</p>`,
    `<h2>${escapeHtml(t('page.amb.share.linkTitle'))}</h2>`,
    `<div class="share"><input id="link" type="text" readonly value="${escapeHtml(m.linkUrl)}" aria-label="${escapeHtml(t('page.amb.share.linkTitle'))}">`,
    `<button type="button" data-copy="link" data-done="${escapeHtml(t('page.amb.share.copied'))}" hidden>${escapeHtml(t('page.amb.share.copy'))}</button></div>`,
    `<div class="row"><a class="button" href="${escapeHtml(m.whatsappUrl)}" rel="noopener">${escapeHtml(t('page.amb.share.whatsapp'))}</a></div>`,
    `<div class="qr" role="img" aria-label="${escapeHtml(t('page.amb.share.qr'))}">${m.qrSvg}</div>`,
    `<p>${escapeHtml(t('page.amb.share.codeIntro'))}</p>`,
    `<p class="code" data-testid="ambassador-code">${escapeHtml(m.code)}</p>`,
    `<p class="muted">${escapeHtml(t('page.amb.share.never', { organisation: m.frame.organisationName }))}</p>`,
    `<h2>${escapeHtml(t('page.amb.share.nameTitle'))}</h2>`,
    `<form method="post" action="${escapeHtml(m.nameAction)}">`,
    `<div class="check"><input type="checkbox" id="showName" name="showName" value="1"${m.showName ? ' checked' : ''}>`,
    `<label for="showName">${escapeHtml(t('page.amb.share.showName', { name: m.fullName ?? '', organisation: m.frame.organisationName }))}</label></div>`,
    `<button type="submit">${escapeHtml(t('page.amb.share.save'))}</button></form>`,
    `<h2>${escapeHtml(t('page.amb.share.resultsTitle'))}</h2>`,
    `<p>${escapeHtml(t('page.amb.share.results', { referrals: m.referrals, conversions: m.conversions }))}</p>`,
    m.rewards.length > 0 &&
      html([
        '<table class="list"><tbody>',
        ...m.rewards.map(
          (r) =>
            `<tr><td>${r.url ? `<a href="${escapeHtml(r.url)}">${escapeHtml(r.description)}</a>` : escapeHtml(r.description)}</td><td>${escapeHtml(r.status)}${r.validUntil ? `<br><span class="muted">${escapeHtml(r.validUntil)}</span>` : ''}</td></tr>`,
        ),
        '</tbody></table>',
      ]),
    `<p class="muted"><a href="${escapeHtml(m.unsubscribeUrl)}">${escapeHtml(t('page.amb.share.unsubscribe'))}</a></p>`,
  ]);
  return page(m.frame, title, body, COPY_SCRIPT);
}

export interface FriendPageModel {
  frame: Frame;
  recommender: string | null;
  friendOffer: string | null;
  action: string;
  /** The signed timing token (`friend-form-token.ts`), sent back in a hidden field. */
  formToken: string;
  values: { name: string; email: string; phone: string; consent: boolean };
  errors: { field: string; message: string }[];
}

/** The friend's page: who recommends the business, the welcome offer, and the short form. */
export function renderFriendPage(m: FriendPageModel): string {
  const { t } = m.frame;
  const org = m.frame.organisationName;
  const heading = m.recommender
    ? t('page.amb.friend.recommendedBy', { name: m.recommender, organisation: org })
    : t('page.amb.friend.recommended', { organisation: org });
  const err = (field: string) => m.errors.find((e) => e.field === field);
  const input = (name: 'name' | 'email' | 'phone', type: string, autocomplete: string) => {
    const e = err(name);
    return html([
      '<div class="field">',
      `<label for="${name}">${escapeHtml(t(`page.amb.friend.${name}`))}</label>`,
      e && `<p class="error" id="${name}-error">${escapeHtml(e.message)}</p>`,
      `<input type="${type}" id="${name}" name="${name}" autocomplete="${autocomplete}" value="${escapeHtml(m.values[name])}" maxlength="${name === 'name' ? 200 : name === 'email' ? 254 : 40}"${e ? ` aria-invalid="true" aria-describedby="${name}-error"` : ''}>`,
      '</div>',
    ]);
  };
  const consentError = err('consent');
  const formError = err('form');
  const fieldErrors = m.errors.filter((e) => e !== formError);
  const body = html([
    `<h1>${escapeHtml(heading)}</h1>`,
    m.friendOffer && `<p>${escapeHtml(t('page.amb.friend.offer', { offer: m.friendOffer }))}</p>`,
    `<p>${escapeHtml(t('page.amb.friend.intro', { organisation: org }))}</p>`,
    formError && `<p class="error" role="alert">${escapeHtml(formError.message)}</p>`,
    fieldErrors.length > 0 &&
      `<p class="error"${formError ? '' : ' role="alert"'}>${escapeHtml(t('page.amb.friend.fix'))}</p>`,
    `<form method="post" action="${escapeHtml(m.action)}" novalidate>`,
    `<input type="hidden" name="formToken" value="${escapeHtml(m.formToken)}">`,
    input('name', 'text', 'name'),
    input('email', 'email', 'email'),
    input('phone', 'tel', 'tel'),
    `<p class="muted">${escapeHtml(t('page.amb.friend.emailOrPhone'))}</p>`,
    // A field people never see; software that fills every field does (no third-party CAPTCHA).
    `<div class="trap" aria-hidden="true"><label for="website">Website</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>`,
    consentError && `<p class="error" id="consent-error">${escapeHtml(consentError.message)}</p>`,
    `<div class="check"><input type="checkbox" id="consent" name="consent" value="1"${m.values.consent ? ' checked' : ''}${consentError ? ' aria-invalid="true" aria-describedby="consent-error"' : ''}>`,
    `<label for="consent">${escapeHtml(t('page.amb.friend.consent', { organisation: org }))}</label></div>`,
    `<button type="submit">${escapeHtml(t('page.amb.friend.submit'))}</button>`,
    '</form>',
    `<p class="muted">${escapeHtml(t('page.amb.friend.privacy', { organisation: org }))}</p>`,
  ]);
  return page(m.frame, heading, body);
}

export function renderFriendThanks(frame: Frame): string {
  const { t } = frame;
  const title = t('page.amb.friend.thanksTitle');
  return page(
    frame,
    title,
    html([
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(t('page.amb.friend.thanksText', { organisation: frame.organisationName }))}</p>`,
    ]),
  );
}

export interface VoucherPageModel {
  frame: Frame;
  description: string;
  code: string;
  qrSvg: string;
  status: 'issued' | 'redeemed' | 'expired' | 'voided' | 'pending' | 'review';
  validUntil: string | null;
  redeemedAt: string | null;
}

/** A voucher to show at the counter, or to print. */
export function renderVoucherPage(m: VoucherPageModel): string {
  const { t } = m.frame;
  const title = t('page.amb.voucher.title');
  const state =
    m.status === 'issued'
      ? m.validUntil
        ? t('page.amb.voucher.validUntil', { date: m.validUntil })
        : t('page.amb.voucher.valid')
      : m.status === 'redeemed'
        ? t('page.amb.voucher.redeemed', { date: m.redeemedAt ?? '' })
        : m.status === 'expired'
          ? t('page.amb.voucher.expired', { date: m.validUntil ?? '' })
          : m.status === 'voided'
            ? t('page.amb.voucher.voided')
            : t('page.amb.voucher.pending');
  return page(
    m.frame,
    title,
    html([
      `<h1>${escapeHtml(m.description)}</h1>`,
      `<p class="${m.status === 'issued' ? 'ok' : 'notice'}">${escapeHtml(state)}</p>`,
      m.status === 'issued' &&
        html([
          `<p>${escapeHtml(t('page.amb.voucher.show'))}</p>`,
          `<p class="code" data-testid="voucher-code">${escapeHtml(m.code)}</p>`,
          `<div class="qr" role="img" aria-label="${escapeHtml(t('page.amb.voucher.qr'))}">${m.qrSvg}</div>`,
          `<p class="noprint muted">${escapeHtml(t('page.amb.voucher.print'))}</p>`,
        ]),
    ]),
  );
}

export interface CounterPageModel {
  frame: Frame;
  action: string;
  code: string;
  /** The outcome of a check or a redemption, or nothing on first opening. */
  result:
    | null
    | { kind: 'message'; tone: 'error' | 'ok' | 'notice'; text: string }
    | {
        kind: 'found';
        description: string;
        holder: string;
        validUntil: string | null;
        redeemAction: string;
        code: string;
      };
}

/** The counter's redeem screen: type or paste a code, see what it is worth and for whom, redeem once. */
export function renderCounterPage(m: CounterPageModel): string {
  const { t } = m.frame;
  const title = t('page.amb.counter.title');
  const r = m.result;
  return page(
    m.frame,
    title,
    html([
      `<h1>${escapeHtml(title)}</h1>`,
      r?.kind === 'message' &&
        `<p class="${r.tone}" role="${r.tone === 'error' ? 'alert' : 'status'}">${escapeHtml(r.text)}</p>`,
      r?.kind === 'found' &&
        html([
          `<div class="ok" role="status"><p><strong>${escapeHtml(r.description)}</strong></p>`,
          `<p>${escapeHtml(t('page.amb.counter.for', { name: r.holder }))}</p>`,
          r.validUntil &&
            `<p>${escapeHtml(t('page.amb.voucher.validUntil', { date: r.validUntil }))}</p>`,
          '</div>',
          `<form method="post" action="${escapeHtml(r.redeemAction)}"><input type="hidden" name="code" value="${escapeHtml(r.code)}">`,
          `<button type="submit">${escapeHtml(t('page.amb.counter.redeem'))}</button></form>`,
          `<hr>`,
        ]),
      `<form method="post" action="${escapeHtml(m.action)}">`,
      '<div class="field">',
      `<label for="code">${escapeHtml(t('page.amb.counter.code'))}</label>`,
      `<input type="text" id="code" name="code" value="${escapeHtml(m.code)}" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40">`,
      '</div>',
      `<button type="submit">${escapeHtml(t('page.amb.counter.check'))}</button>`,
      '</form>',
    ]),
  );
}

export function renderSimpleMessage(
  frame: Frame,
  title: string,
  text: string,
  form?: { action: string; button: string },
): string {
  return page(
    frame,
    title,
    html([
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(text)}</p>`,
      form &&
        `<form method="post" action="${escapeHtml(form.action)}"><button type="submit">${escapeHtml(form.button)}</button></form>`,
    ]),
  );
}
