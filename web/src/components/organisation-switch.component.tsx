import { useState, type ChangeEvent } from 'react';
import { api, setCsrfToken } from '../api/client.ts';
import type { MyOrganisations, SwitchedOrganisation } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { BASE, Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';

/**
 * The organisation switcher in the top bar, for a person who belongs to several organisations (a
 * franchise owner, an accountant): the list holds only their own organisations, as the API gives
 * them. Switching is a POST with the CSRF token; the session then carries the other
 * organisation, and the app starts afresh on its home screen so nothing of the previous
 * organisation stays on screen. With one organisation it is just the name.
 */
export function OrganisationSwitch() {
  const t = useT();
  const { me } = useSession();
  const mine = useLoad(
    () => api<MyOrganisations>('GET', '/auth/organisations'),
    [me.organisation.id],
  );
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const items = mine.data?.items ?? [];
  // data-loaded: the list has come, so the name alone means one organisation, not "not here yet".
  if (items.length < 2) {
    return (
      <span className="org-name" data-loaded={mine.data ? 'true' : 'false'}>
        {me.organisation.name}
      </span>
    );
  }
  const owned = items.filter((o) => o.role === 'owner').length;

  const onChange = async (e: ChangeEvent<HTMLSelectElement>) => {
    const organisationId = e.target.value;
    if (organisationId === me.organisation.id) return;
    setBusy(true);
    setFailed(false);
    try {
      const switched = await api<SwitchedOrganisation>('POST', '/auth/organisation', {
        body: { organisationId },
      });
      setCsrfToken(switched.csrfToken);
      window.location.assign(`${BASE}/`);
    } catch {
      setBusy(false);
      setFailed(true);
    }
  };

  return (
    <span className="org-switch">
      <label className="org-switch-label" htmlFor="org-switch">
        {t('org.switchLabel')}
      </label>
      <select
        id="org-switch"
        className="org-name"
        data-loaded="true"
        value={me.organisation.id}
        disabled={busy}
        onChange={(e) => void onChange(e)}
      >
        {items.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {owned >= 2 ? <Link to="/organisations">{t('org.overviewLink')}</Link> : null}
      {failed ? (
        <span role="alert" className="org-switch-error">
          {t('org.switchFailed')}
        </span>
      ) : null}
    </span>
  );
}
