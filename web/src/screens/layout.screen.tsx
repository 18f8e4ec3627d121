import type { ReactNode } from 'react';
import { useT, type MessageKey } from '../i18n/i18n.tsx';
import type { Action } from '../lib/permissions.ts';
import { Link, useLocation } from '../lib/router.tsx';
import { useCan, useSession } from '../lib/session.tsx';
import { LanguageSwitch } from '../components/language-switch.component.tsx';
import { OrganisationSwitch } from '../components/organisation-switch.component.tsx';

/** The menu: each entry names the permission it needs, so a viewer never sees "Team". */
export const NAV: ReadonlyArray<{ to: string; label: MessageKey; action: Action }> = [
  { to: '/', label: 'nav.home', action: 'surveys:read' },
  { to: '/cases', label: 'nav.cases', action: 'cases:read' },
  { to: '/contacts', label: 'nav.contacts', action: 'contacts:read' },
  { to: '/accounts', label: 'nav.accounts', action: 'accounts:read' },
  { to: '/employees', label: 'nav.employees', action: 'employees:read' },
  { to: '/locations', label: 'nav.locations', action: 'contacts:read' },
  { to: '/import', label: 'nav.import', action: 'contacts:import' },
  { to: '/surveys', label: 'nav.surveys', action: 'surveys:read' },
  { to: '/results', label: 'nav.results', action: 'responses:read' },
  { to: '/breakdown', label: 'nav.breakdown', action: 'responses:read' },
  { to: '/notifications', label: 'nav.notifications', action: 'responses:read' },
  { to: '/responses', label: 'nav.responses', action: 'responses:read' },
  { to: '/loyalty', label: 'nav.loyalty', action: 'responses:read' },
  { to: '/ambassadors', label: 'nav.ambassadors', action: 'ambassadors:read' },
  { to: '/referrals', label: 'nav.referrals', action: 'ambassadors:read' },
  { to: '/rewards', label: 'nav.rewards', action: 'ambassadors:read' },
  { to: '/redeem', label: 'nav.redeem', action: 'ambassadors:write' },
  { to: '/referral-programme', label: 'nav.programme', action: 'ambassadors:read' },
  { to: '/outbox', label: 'nav.outbox', action: 'surveys:send' },
  { to: '/team', label: 'nav.team', action: 'users:manage' },
  { to: '/api-keys', label: 'nav.apiKeys', action: 'api_keys:manage' },
  { to: '/webhooks', label: 'nav.webhooks', action: 'webhooks:manage' },
  { to: '/settings', label: 'nav.settings', action: 'organisation:manage' },
  { to: '/profile', label: 'nav.profile', action: 'surveys:read' },
];

/** The frame around every logged-in screen: organisation, menu, language, who is logged in. */
export function Layout(props: { children: ReactNode }) {
  const t = useT();
  const { me, logout } = useSession();
  const can = useCan();
  const { path } = useLocation();
  const color = me.organisation.settings.brandColor;
  return (
    <div className="shell" style={{ ['--brand' as string]: color }}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-org">
          <span className="brand">Loyaal</span>
          <OrganisationSwitch />
        </div>
        <div className="topbar-user">
          <LanguageSwitch />
          <span className="user-name">
            {me.user ? <Link to="/profile">{me.user.name}</Link> : null}
            <span className="user-role"> · {t(`role.${me.role}`)}</span>
          </span>
          <button type="button" className="btn btn-link" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label={t('nav.main')}>
        <ul>
          {NAV.filter((n) => can(n.action)).map((n) => {
            const active = path === n.to || (n.to !== '/' && path.startsWith(`${n.to}/`));
            return (
              <li key={n.to}>
                <Link to={n.to} aria-current={active ? 'page' : undefined}>
                  {t(n.label)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}
