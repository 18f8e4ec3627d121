import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { Button } from './ui.component.tsx';

/**
 * A modal that asks before something that cannot be undone (erasing a contact, revoking a key).
 * It says in plain words what will happen; the safe choice has the focus.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      <div className="dialog-actions">
        <Button autoFocus onClick={props.onCancel}>
          {t('common.cancel')}
        </Button>
        <Button variant="danger" busy={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}

/** Copies text to the clipboard and says so; falls back to selecting the text. */
export function CopyButton(props: { text: string }) {
  const t = useT();
  const ref = useRef<HTMLSpanElement>(null);
  const copy = () => {
    navigator.clipboard?.writeText(props.text).then(
      () => {
        if (ref.current) ref.current.textContent = t('common.copied');
      },
      () => {
        if (ref.current) ref.current.textContent = t('common.copyFailed');
      },
    );
  };
  return (
    <span className="copy">
      <Button onClick={copy}>{t('common.copy')}</Button>
      <span ref={ref} role="status" className="copy-status" />
    </span>
  );
}
