import { useRef, useState } from 'react';

export interface EditForm<R, F> {
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
  /** Something was typed since the record was taken or last stored whole. */
  dirty: boolean;
  /**
   * Runs one save (its request answers with the stored record): busy while it is on its way, its
   * error shown, and the stored record taken into the form, unless the person typed on meanwhile.
   * Resolves with the stored record and whether it holds everything on screen (`complete`), or
   * with null when the save failed.
   */
  save: (request: () => Promise<R>) => Promise<{ stored: R; complete: boolean } | null>;
  /**
   * Drops what the person typed: the form empties and takes the next record the screen hands in,
   * typed or not (after erasing a customer nothing of theirs may stay on screen). A save still on
   * its way is dropped too: it resolves with null and changes nothing on screen.
   */
  discard: () => void;
}

/**
 * The form of one record a person creates or edits (an employee, an account). The form takes the
 * loaded (or just saved) record during the render that brings it, not in an effect after it: the
 * screen never shows, even for one frame, empty fields for a stored record. A save that answers
 * after the person typed on does not replace the form with the stored record, which lacks those
 * keystrokes: the form keeps them, stays unsaved and says so (`typedOn`), and the next save stores
 * them. (A screen that creates a record goes on to the new record's own screen after the save, so
 * it keeps its fields disabled while that save is on its way: nothing typed then could be kept.)
 * Other changes of the record (an action beside the form, such as unsubscribing a customer) keep
 * what was typed too, to be saved with the next save.
 */
export function useEditForm<R, F extends object>(
  record: R | null | undefined,
  toForm: (record: R) => F,
  initial: F,
): EditForm<R, F> {
  const [form, setForm] = useState<F>(initial);
  // The last record the screen handed in: a new one (loaded, reloaded, saved) is taken into the
  // form unless the person has typed since the last save that stored everything.
  const [seen, setSeen] = useState<R | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [typedOn, setTypedOn] = useState(false);
  // Counts the edits, so a save that answers after the person typed on knows it did not store all.
  const edits = useRef(0);
  // Counts the discards: a save that answers after one is dropped, whatever it stored.
  const discards = useRef(0);

  if (record && record !== seen) {
    setSeen(record);
    if (!dirty) setForm(toForm(record));
  }

  const update = (patch: Partial<F>) => {
    edits.current++;
    setDirty(true);
    setSaved(false);
    setForm((current) => ({ ...current, ...patch }));
  };

  const save = async (
    request: () => Promise<R>,
  ): Promise<{ stored: R; complete: boolean } | null> => {
    setBusy(true);
    setError(null);
    setSaved(false);
    setTypedOn(false);
    const editsSent = edits.current;
    const discardsBefore = discards.current;
    try {
      const stored = await request();
      if (discards.current !== discardsBefore) return null;
      const complete = edits.current === editsSent;
      if (complete) {
        // The stored record is the form now, whether or not the screen also shows it elsewhere.
        setDirty(false);
        setForm(toForm(stored));
      }
      setSaved(complete);
      setTypedOn(!complete);
      return { stored, complete };
    } catch (err) {
      if (discards.current === discardsBefore) setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const discard = () => {
    discards.current++;
    edits.current++;
    setError(null);
    setDirty(false);
    setSaved(false);
    setTypedOn(false);
    setForm(initial);
  };

  return {
    form,
    set: (key) => (e) => update({ [key]: e.target.value } as Partial<F>),
    update,
    error,
    busy,
    saved,
    typedOn,
    dirty,
    save,
    discard,
  };
}
