import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  api,
  setApiLocale,
  setCsrfToken,
  setUnauthenticatedHandler,
  type Locale,
} from './api/client.ts';
import type { Me } from './api/types.ts';
import { LocaleProvider, useT } from './i18n/i18n.tsx';
import { matchPath, navigate, useLocation } from './lib/router.tsx';
import { SessionProvider } from './lib/session.tsx';
import { ErrorMessage, Loading } from './components/ui.component.tsx';
import { AcceptInviteScreen } from './screens/accept-invite.screen.tsx';
import { LoginScreen, SetupScreen } from './screens/login.screen.tsx';
import { Layout } from './screens/layout.screen.tsx';
import { Routes } from './routes.tsx';

type Boot =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'anonymous' }
  | { kind: 'ready'; me: Me }
  | { kind: 'error'; error: unknown };

const STORED_LOCALE = 'loyaal.locale';

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORED_LOCALE) === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

/**
 * The admin app: finds out whether this is a first visit (setup), whether someone is logged in,
 * and then shows the screen the address asks for. Dutch unless the user chose English.
 */
export function App() {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });
  const chosenBeforeLogin = useRef<Locale | null>(null);
  const { path } = useLocation();

  const applyLocale = useCallback((l: Locale) => {
    setApiLocale(l);
    setLocaleState(l);
    document.documentElement.lang = l;
    try {
      localStorage.setItem(STORED_LOCALE, l);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);

  const loadSession = useCallback(async () => {
    try {
      const me = await api<Me>('GET', '/auth/me');
      setCsrfToken(me.csrfToken);
      if (me.user) {
        // A language picked on the login screen is the user's answer to "which language?": it
        // becomes their stored preference instead of being overruled by the old one.
        const chosen = chosenBeforeLogin.current;
        chosenBeforeLogin.current = null;
        if (chosen && chosen !== me.user.locale) {
          await api('PATCH', '/auth/me', { body: { locale: chosen } });
          applyLocale(chosen);
        } else {
          applyLocale(me.user.locale);
        }
      }
      setBoot({ kind: 'ready', me });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      setCsrfToken(null);
      const { needsSetup } = await api<{ needsSetup: boolean }>('GET', '/setup');
      setBoot({ kind: needsSetup ? 'setup' : 'anonymous' });
    }
  }, [applyLocale]);

  const start = useCallback(() => {
    loadSession().catch((error: unknown) => setBoot({ kind: 'error', error }));
  }, [loadSession]);

  useEffect(() => {
    setApiLocale(locale);
    document.documentElement.lang = locale;
    start();
    setUnauthenticatedHandler(() => setBoot({ kind: 'anonymous' }));
    return () => setUnauthenticatedHandler(null);
    // Runs once: the session is read on load, then kept up to date by the screens.
  }, []);

  const changeLocale = useCallback(
    (l: Locale) => {
      applyLocale(l);
      if (boot.kind === 'ready' && boot.me.user) {
        api('PATCH', '/auth/me', { body: { locale: l } }).catch(() => undefined);
      } else {
        chosenBeforeLogin.current = l;
      }
    },
    [applyLocale, boot],
  );

  const loggedIn = (csrfToken: string) => {
    setCsrfToken(csrfToken);
    if (path === '/login' || path === '/setup') navigate('/', { replace: true });
    start();
  };

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } finally {
      setCsrfToken(null);
      setBoot({ kind: 'anonymous' });
      navigate('/', { replace: true });
    }
  }, []);

  const refresh = useCallback(() => loadSession(), [loadSession]);

  const invite = matchPath('/invite/:token', path);
  let content;
  if (invite?.token) {
    content = <AcceptInviteScreen token={invite.token} onAccepted={loggedIn} />;
  } else if (boot.kind === 'loading') {
    content = <Loading />;
  } else if (boot.kind === 'error') {
    content = <BootError error={boot.error} retry={start} />;
  } else if (boot.kind === 'setup') {
    content = <SetupScreen onDone={loggedIn} />;
  } else if (boot.kind === 'anonymous') {
    content = <LoginScreen onDone={loggedIn} />;
  } else {
    content = (
      <SessionProvider me={boot.me} refresh={refresh} logout={logout}>
        <Layout>
          <Routes path={path} />
        </Layout>
      </SessionProvider>
    );
  }

  return (
    <LocaleProvider locale={locale} setLocale={changeLocale}>
      {content}
    </LocaleProvider>
  );
}

function BootError(props: { error: unknown; retry: () => void }) {
  const t = useT();
  return (
    <main className="centered">
      <ErrorMessage error={props.error} />
      <button type="button" className="btn btn-primary" onClick={props.retry}>
        {t('common.retry')}
      </button>
    </main>
  );
}
