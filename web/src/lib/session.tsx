import { createContext, useContext, type ReactNode } from 'react';
import type { Me } from '../api/types.ts';
import { roleCan, type Action } from './permissions.ts';

interface SessionState {
  me: Me;
  /** Re-reads `GET /auth/me` (after changing the organisation's name, for example). */
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider(props: SessionState & { children: ReactNode }) {
  const { children, ...value } = props;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The logged-in user, their role and organisation. Only used inside the logged-in layout. */
export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Whether the logged-in role may do something (hides buttons; the API still decides). */
export function useCan(): (action: Action) => boolean {
  const { me } = useSession();
  return (action) => roleCan(me.role, action);
}
