import {
  useId,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/i18n.tsx';

/**
 * The few building blocks every screen shares: headings, empty states, error messages and form
 * fields that show the API's translated problem right under the field it belongs to.
 */

export function PageHeader(props: { title: string; intro?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.intro ? <p className="intro">{props.intro}</p> : null}
      </div>
      {props.actions ? <div className="page-actions">{props.actions}</div> : null}
    </header>
  );
}

export function EmptyState(props: { title: string; text: string; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{props.title}</h2>
      <p>{props.text}</p>
      {props.action ?? null}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/**
 * Shows what went wrong in the user's language. Field problems that a form shows beside its fields
 * are left out here (`shownFields`); the rest are listed so nothing is swallowed.
 */
export function ErrorMessage(props: { error: unknown; shownFields?: readonly string[] }) {
  const t = useT();
  if (!props.error) return null;
  const e = props.error;
  let message = t('error.unexpected');
  let extra: string[] = [];
  if (e instanceof ApiError) {
    message = e.code === 'network' ? t('error.network') : e.message || t('error.unexpected');
    const shown = props.shownFields ?? [];
    extra = e.fields.filter((f) => !shown.includes(f.field)).map((f) => f.message);
  }
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {extra.length ? (
        <ul>
          {extra.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The translated problem of one field in an API error, or null. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiError ? error.fieldMessage(field) : null;
}

export function Notice(props: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert alert-${props.tone ?? 'info'}`} role="status">
      {props.children}
    </div>
  );
}

/**
 * What the last save of a form did: stored everything on screen ("Opgeslagen."), or missed what the
 * person typed while it was on its way, and which button to click again.
 */
export function SaveStatus(props: { saved: boolean; typedOn: boolean; action?: string }) {
  const t = useT();
  if (props.saved) return <Notice tone="success">{t('common.saved')}</Notice>;
  if (!props.typedOn) return null;
  return (
    <Notice tone="warning">
      {t('common.typedDuringSave', { action: props.action ?? t('common.save') })}
    </Notice>
  );
}

interface FieldProps {
  label: string;
  hint?: string;
  error?: string | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled field; the hint and the error are linked to the control for screen readers. */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: !!error })}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type Common = { label: string; hint?: string; error?: string | null };

export function TextField(props: Common & InputHTMLAttributes<HTMLInputElement>) {
  const { label, hint, error, ...input } = props;
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...input}
        />
      )}
    </Field>
  );
}

export function TextAreaField(props: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { label, hint, error, ...input } = props;
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...input}
        />
      )}
    </Field>
  );
}

export function SelectField(
  props: Common &
    SelectHTMLAttributes<HTMLSelectElement> & {
      options: ReadonlyArray<{ value: string; label: string }>;
    },
) {
  const { label, hint, error, options, ...select } = props;
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...select}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Button(
  props: ButtonHTMLAttributes<HTMLButtonElement> & {
    variant?: 'primary' | 'secondary' | 'danger' | 'link';
    busy?: boolean;
  },
) {
  const { variant = 'secondary', busy, className, disabled, children, onClick, ...rest } = props;
  // While busy the button is shut with aria-disabled, not `disabled`: a disabled button loses the
  // keyboard focus to the start of the page. Its clicks (and a form's Enter) are swallowed instead.
  return (
    <button
      type="button"
      {...rest}
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled && !busy}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      onClick={(e) => {
        if (busy) {
          e.preventDefault();
          return;
        }
        onClick?.(e);
      }}
    >
      {children}
    </button>
  );
}

export function Badge(props: {
  tone: 'green' | 'grey' | 'amber' | 'red' | 'blue';
  children: ReactNode;
}) {
  return <span className={`badge badge-${props.tone}`}>{props.children}</span>;
}
