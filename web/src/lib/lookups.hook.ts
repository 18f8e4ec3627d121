import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Account, Employee, Location, Page } from '../api/types.ts';

/**
 * Names for the ids that lists show (a contact names its owner and account by id). Employees are
 * few and loaded whole; accounts can be thousands, so only the ones on screen are fetched, once.
 */
export function useEmployees(): Employee[] {
  const [items, setItems] = useState<Employee[]>([]);
  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const all: Employee[] = [];
      let cursor: string | null = null;
      // A garage has a handful of employees; stop at 1,000 so a huge firm still loads quickly.
      do {
        const page: Page<Employee> = await api<Page<Employee>>('GET', '/employees', {
          query: { limit: 200, cursor },
        });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < 1000);
      if (!cancelled) setItems(all.sort((a, b) => a.name.localeCompare(b.name)));
    };
    load().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  return items;
}

/** The organisation's locations that are not archived, by name (a short list). */
export function useLocations(): Location[] {
  const [items, setItems] = useState<Location[]>([]);
  useEffect(() => {
    let cancelled = false;
    api<{ items: Location[] }>('GET', '/locations')
      .then((res) => {
        if (!cancelled) setItems(res.items);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  return items;
}

const accountNames = new Map<string, string>();

/** Account names by id for the ids given; missing ones are fetched in parallel and cached. */
export function useAccountNames(ids: ReadonlyArray<string | null>): Map<string, string> {
  const [, setVersion] = useState(0);
  const key = [...new Set(ids.filter((i): i is string => !!i))].sort().join(',');
  useEffect(() => {
    const missing = key ? key.split(',').filter((id) => !accountNames.has(id)) : [];
    if (!missing.length) return;
    let cancelled = false;
    Promise.all(
      missing.map((id) =>
        api<Account>('GET', `/accounts/${id}`).then(
          (a) => accountNames.set(id, a.name),
          () => accountNames.set(id, '—'),
        ),
      ),
    )
      .then(() => {
        if (!cancelled) setVersion((v) => v + 1);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [key]);
  return accountNames;
}

/** Remembers a name just saved, so lists show it without another request. */
export function rememberAccountName(id: string, name: string): void {
  accountNames.set(id, name);
}
