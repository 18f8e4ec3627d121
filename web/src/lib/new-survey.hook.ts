import { useRef, useState } from 'react';
import { api } from '../api/client.ts';
import type { Page, Survey } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { navigate } from './router.tsx';

/**
 * "Nieuwe enquête" that never makes two: an untouched draft is opened again, and otherwise one
 * idempotency key per screen makes a double click (or a retry) return the first survey.
 */
export function useNewSurvey(): { create: () => Promise<void>; busy: boolean; error: unknown } {
  const t = useT();
  const key = useRef(crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const drafts = await api<Page<Survey>>('GET', '/surveys', {
        query: { status: 'draft', limit: 20 },
      });
      const untouched = drafts.items.find((s) => s.createdAt === s.updatedAt);
      const survey =
        untouched ??
        (await api<Survey>('POST', '/surveys', {
          body: { name: t('surveys.defaultName') },
          headers: { 'Idempotency-Key': key.current },
        }));
      navigate(`/surveys/${survey.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return { create, busy, error };
}
