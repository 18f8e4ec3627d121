import { useRef, useState } from 'react';

export interface EditForm<F> {
  form: F;
  /** An input's change handler for one text field of the form. */
  set: (key: keyof F) => (e: { target: { value: string } }) => void;
  update: (patch: Partial<F>) => void;
  error: unknown;
  busy: boolean;
  /** The last save stored everything on screen. */
  saved: boolean;
  /** The last save answered after the person typed on: what they typed is on screen, not stored. */
  typedOn: boolean;
  /**
   * Runs one save (its request gives the stored record): busy while it is on its way, its error
   * shown, and the record it answers with taken into the form, unless the person typed on
   * meanwhile. Resolves with the stored record, or null when the save failed.
   */
  save: <T>(request: () => Promise<T>) => Promise<T | null>;
}

/**
 * The form of one record a person creates or edits (an employee, an account). The form takes the
 * loaded (or just saved) record during the render that brings it, not in an effect after it: the
 * screen never shows, even for one frame, empty fields for a stored record. A save that answers
 * after the person typed on does not replace the form with the stored record, which lacks those
 * keystrokes: the form keeps them, stays unsaved and says so (`typedOn`), and the next save stores
 * them.
 */
export function useEditForm<R, F extends object>(
  record: R | null | undefined,
  toForm: (record: R) => F,
  initial: F,
): EditForm<F> {
  const [form, setForm] = useState<F>(initial);
  const [shown, setShown] = useState<R | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [typedOn, setTypedOn] = useState(false);
  // Counts the edits, so a save that answers after the person typed on knows it did not store all.
  const edits = useRef(0);

  if (record && record !== shown && !dirty) {
    setShown(record);
    setForm(toForm(record));
  }

  const update = (patch: Partial<F>) => {
    edits.current++;
    setDirty(true);
    setSaved(false);
    setForm((current) => ({ ...current, ...patch }));
  };

  const save = async <T>(request: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    setTypedOn(false);
    const editsSent = edits.current;
    try {
      const stored = await request();
      const complete = edits.current === editsSent;
      if (complete) setDirty(false);
      setSaved(complete);
      setTypedOn(!complete);
      return stored;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  };

  return {
    form,
    set: (key) => (e) => update({ [key]: e.target.value } as Partial<F>),
    update,
    error,
    busy,
    saved,
    typedOn,
    save,
  };
}
