import { useEffect, type ReactElement } from 'react';
import { useT } from './i18n/i18n.tsx';
import type { Action } from './lib/permissions.ts';
import { matchPath, navigate } from './lib/router.tsx';
import { useCan } from './lib/session.tsx';
import { EmptyState } from './components/ui.component.tsx';
import { AccountEditScreen, AccountsListScreen } from './screens/accounts.screen.tsx';
import { ApiKeysScreen } from './screens/api-keys.screen.tsx';
import { ContactDetailScreen } from './screens/contact-detail.screen.tsx';
import { ContactsListScreen } from './screens/contacts-list.screen.tsx';
import { EmployeeEditScreen, EmployeesListScreen } from './screens/employees.screen.tsx';
import { ImportScreen } from './screens/import.screen.tsx';
import { LocationsScreen } from './screens/locations.screen.tsx';
import { SettingsScreen } from './screens/settings.screen.tsx';
import { MailSettingsScreen } from './screens/mail-settings.screen.tsx';
import { ReviewSettingsScreen } from './screens/review-settings.screen.tsx';
import { HomeScreen } from './screens/home.screen.tsx';
import { TeamScreen } from './screens/team.screen.tsx';
import { SurveyEditScreen, SurveysListScreen } from './screens/surveys.screen.tsx';
import { ResponsesScreen } from './screens/results.screen.tsx';
import { InsightHomeScreen } from './screens/insight.screen.tsx';
import { BreakdownScreen } from './screens/breakdown.screen.tsx';
import { ThemesScreen } from './screens/themes.screen.tsx';
import { EmployeeHomeScreen, TeamResultsScreen } from './screens/employee-home.screen.tsx';
import { EmailScreen, OutboxScreen } from './screens/outbox.screen.tsx';
import { SendScreen } from './screens/send.screen.tsx';
import { LoyaltyScreen } from './screens/loyalty.screen.tsx';
import { NotificationsScreen } from './screens/notifications.screen.tsx';
import { AmbassadorDetailScreen, AmbassadorsScreen } from './screens/ambassadors.screen.tsx';
import { ReferralsScreen } from './screens/referrals.screen.tsx';
import { RewardsScreen } from './screens/rewards.screen.tsx';
import { RedeemScreen } from './screens/redeem.screen.tsx';
import {
  ProgrammeDashboardScreen,
  ProgrammeSettingsScreen,
} from './screens/referral-programme.screen.tsx';
import { CaseReportScreen, CaseScreen, CasesInboxScreen } from './screens/cases.screen.tsx';
import { WebhookScreen, WebhooksScreen } from './screens/webhooks.screen.tsx';
import { OrganisationsOverviewScreen } from './screens/organisations.screen.tsx';
import { ProfileScreen } from './screens/profile.screen.tsx';

type Render = (params: Record<string, string>) => ReactElement;

/** Every logged-in screen: its address, the permission it needs and what it renders. */
const ROUTES: ReadonlyArray<{ pattern: string; action: Action; render: Render }> = [
  { pattern: '/', action: 'surveys:read', render: () => <HomeScreen /> },
  // The owner's overview of all their organisations; the API lists only those they own.
  {
    pattern: '/organisations',
    action: 'surveys:read',
    render: () => <OrganisationsOverviewScreen />,
  },
  // The member's own settings (the weekly digest): every role has one.
  { pattern: '/profile', action: 'surveys:read', render: () => <ProfileScreen /> },
  { pattern: '/contacts', action: 'contacts:read', render: () => <ContactsListScreen /> },
  {
    pattern: '/contacts/new',
    action: 'contacts:write',
    render: () => <ContactDetailScreen id={null} />,
  },
  {
    pattern: '/contacts/:id',
    action: 'contacts:read',
    render: (p) => <ContactDetailScreen key={p.id} id={p.id ?? null} />,
  },
  { pattern: '/accounts', action: 'accounts:read', render: () => <AccountsListScreen /> },
  {
    pattern: '/accounts/new',
    action: 'accounts:write',
    render: () => <AccountEditScreen id={null} />,
  },
  {
    pattern: '/accounts/:id',
    action: 'accounts:read',
    render: (p) => <AccountEditScreen key={p.id} id={p.id ?? null} />,
  },
  { pattern: '/employees', action: 'employees:read', render: () => <EmployeesListScreen /> },
  {
    pattern: '/employees/new',
    action: 'employees:write',
    render: () => <EmployeeEditScreen id={null} />,
  },
  {
    pattern: '/employees/:id',
    action: 'employees:read',
    render: (p) => <EmployeeEditScreen key={p.id} id={p.id ?? null} />,
  },
  { pattern: '/locations', action: 'contacts:read', render: () => <LocationsScreen /> },
  { pattern: '/import', action: 'contacts:import', render: () => <ImportScreen id={null} /> },
  {
    pattern: '/import/:id',
    action: 'contacts:import',
    render: (p) => <ImportScreen key={p.id} id={p.id ?? null} />,
  },
  { pattern: '/surveys', action: 'surveys:read', render: () => <SurveysListScreen /> },
  {
    pattern: '/surveys/:id',
    action: 'surveys:read',
    render: (p) => <SurveyEditScreen key={p.id} id={p.id ?? ''} />,
  },
  {
    pattern: '/surveys/:id/send',
    action: 'surveys:send',
    render: (p) => <SendScreen key={p.id} surveyId={p.id ?? ''} />,
  },
  { pattern: '/results', action: 'responses:read', render: () => <InsightHomeScreen /> },
  {
    pattern: '/employees/:id/results',
    action: 'responses:read',
    render: (p) => <EmployeeHomeScreen key={p.id} employeeId={p.id ?? ''} />,
  },
  { pattern: '/team-results', action: 'responses:read', render: () => <TeamResultsScreen /> },
  { pattern: '/themes', action: 'responses:read', render: () => <ThemesScreen /> },
  { pattern: '/breakdown', action: 'responses:read', render: () => <BreakdownScreen /> },
  {
    pattern: '/notifications',
    action: 'responses:read',
    render: () => <NotificationsScreen />,
  },
  { pattern: '/responses', action: 'responses:read', render: () => <ResponsesScreen /> },
  { pattern: '/loyalty', action: 'responses:read', render: () => <LoyaltyScreen /> },
  { pattern: '/ambassadors', action: 'ambassadors:read', render: () => <AmbassadorsScreen /> },
  {
    pattern: '/ambassadors/:id',
    action: 'ambassadors:read',
    render: (p) => <AmbassadorDetailScreen key={p.id} id={p.id ?? ''} />,
  },
  { pattern: '/referrals', action: 'ambassadors:read', render: () => <ReferralsScreen /> },
  { pattern: '/rewards', action: 'ambassadors:read', render: () => <RewardsScreen /> },
  { pattern: '/redeem', action: 'ambassadors:write', render: () => <RedeemScreen /> },
  {
    pattern: '/referral-programme',
    action: 'ambassadors:read',
    render: () => <ProgrammeSettingsScreen />,
  },
  {
    pattern: '/referral-programme/dashboard',
    action: 'ambassadors:read',
    render: () => <ProgrammeDashboardScreen />,
  },
  { pattern: '/cases', action: 'cases:read', render: () => <CasesInboxScreen /> },
  { pattern: '/cases/report', action: 'cases:read', render: () => <CaseReportScreen /> },
  {
    pattern: '/cases/:id',
    action: 'cases:read',
    render: (p) => <CaseScreen key={p.id} id={p.id ?? ''} />,
  },
  { pattern: '/outbox', action: 'surveys:send', render: () => <OutboxScreen /> },
  {
    pattern: '/outbox/:id',
    action: 'surveys:send',
    render: (p) => <EmailScreen key={p.id} id={p.id ?? ''} />,
  },
  { pattern: '/team', action: 'users:manage', render: () => <TeamScreen /> },
  { pattern: '/api-keys', action: 'api_keys:manage', render: () => <ApiKeysScreen /> },
  { pattern: '/webhooks', action: 'webhooks:manage', render: () => <WebhooksScreen /> },
  {
    pattern: '/webhooks/:id',
    action: 'webhooks:manage',
    render: (p) => <WebhookScreen key={p.id} id={p.id ?? ''} />,
  },
  { pattern: '/settings', action: 'organisation:manage', render: () => <SettingsScreen /> },
  {
    pattern: '/settings/mail',
    action: 'organisation:manage',
    render: () => <MailSettingsScreen />,
  },
  // Every staff member may read where customers are asked for reviews; only the owner saves.
  {
    pattern: '/settings/reviews',
    action: 'surveys:read',
    render: () => <ReviewSettingsScreen />,
  },
];

/** Picks the screen for the path; `/` is the home (checklist, then results), unknown paths say so. */
export function Routes(props: { path: string }) {
  const t = useT();
  const can = useCan();
  const entry = props.path === '/login' || props.path === '/setup';
  useEffect(() => {
    if (entry) navigate('/', { replace: true });
  }, [entry]);
  if (entry) return null;
  for (const r of ROUTES) {
    const params = matchPath(r.pattern, props.path);
    if (!params) continue;
    if (!can(r.action))
      return <EmptyState title={t('nav.forbidden')} text={t('nav.forbiddenText')} />;
    return r.render(params);
  }
  return <EmptyState title={t('nav.notFound')} text={t('nav.notFoundText')} />;
}
