import { useEffect, useRef, useState } from 'react';
import { api, type Locale } from '../api/client.ts';
import { useT, type MessageKey } from '../i18n/i18n.tsx';
import { useDebounced } from '../lib/use-load.hook.ts';
import { ErrorMessage } from './ui.component.tsx';

export type PreviewView = 'email' | 'reminder' | 'form' | 'thanks';
export type PreviewCategory = 'promoter' | 'passive' | 'detractor';
type Width = 'desktop' | 'phone';

/** The width a customer's screen has: a mail client's reading pane or a browser, and a phone. */
const LOGICAL_WIDTH: Record<'email' | 'page', Record<Width, number>> = {
  email: { desktop: 680, phone: 375 },
  page: { desktop: 900, phone: 375 },
};

const VIEWS: ReadonlyArray<{ value: PreviewView; label: MessageKey }> = [
  { value: 'email', label: 'preview.email' },
  { value: 'reminder', label: 'preview.reminder' },
  { value: 'form', label: 'preview.form' },
  { value: 'thanks', label: 'preview.thanks' },
];
const CATEGORIES: ReadonlyArray<{ value: PreviewCategory; label: MessageKey }> = [
  { value: 'promoter', label: 'preview.promoter' },
  { value: 'passive', label: 'preview.passive' },
  { value: 'detractor', label: 'preview.detractor' },
];

/**
 * A page rendered at the width of the customer's screen and scaled down to fit the panel, so the
 * owner sees the phone layout of a phone and the desktop layout of a desktop. The frame is
 * sandboxed without scripts; same-origin only so its height can be read.
 */
function ScaledFrame(props: { html: string; width: number; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const [available, setAvailable] = useState(props.width);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setAvailable(el.clientWidth));
    observer.observe(el);
    setAvailable(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  const measure = () => {
    const doc = frame.current?.contentDocument;
    if (doc?.documentElement) setHeight(Math.max(200, doc.documentElement.scrollHeight));
  };

  const scale = Math.min(1, available / props.width);
  return (
    <div ref={box} className="scaled-frame-box">
      <div
        className="scaled-frame"
        style={{ width: Math.floor(props.width * scale), height: Math.ceil(height * scale) }}
      >
        <iframe
          ref={frame}
          title={props.title}
          sandbox="allow-same-origin"
          srcDoc={props.html}
          onLoad={measure}
          data-testid="preview-frame"
          style={{
            width: props.width,
            height,
            transform: `scale(${scale})`,
            transformOrigin: '0 0',
          }}
        />
      </div>
    </div>
  );
}

/**
 * The survey editor's live preview: the email (and its reminder), the response page with the
 * follow-up of each category, and the thank-you page of each category, at desktop and phone width,
 * rendered by the server with the editor's unsaved settings. Nothing in it can be answered.
 */
export function SurveyPreview(props: { surveyId: string; locale: Locale; settings: unknown }) {
  const t = useT();
  const [view, setView] = useState<PreviewView>('email');
  const [category, setCategory] = useState<PreviewCategory>('promoter');
  const [width, setWidth] = useState<Width>('desktop');
  const [result, setResult] = useState<{ subject: string | null; html: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const request = useDebounced(
    JSON.stringify({ locale: props.locale, view, category, settings: props.settings }),
    400,
  );
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    api<{ subject: string | null; html: string }>('POST', `/surveys/${props.surveyId}/preview`, {
      body: JSON.parse(request) as unknown,
    }).then(
      (r) => {
        if (mine !== seq.current) return;
        setResult(r);
        setError(null);
      },
      (e: unknown) => {
        if (mine === seq.current) setError(e);
      },
    );
  }, [request, props.surveyId]);

  const kind = view === 'email' || view === 'reminder' ? 'email' : 'page';
  const segmented = <T extends string>(
    name: string,
    options: ReadonlyArray<{ value: T; label: MessageKey }>,
    value: T,
    set: (v: T) => void,
  ) => (
    <div className="segmented" role="group" aria-label={t(`preview.${name}` as MessageKey)}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => set(o.value)}
        >
          {t(o.label)}
        </button>
      ))}
    </div>
  );

  return (
    <section
      id="survey-preview"
      className="card preview-panel"
      aria-labelledby="preview-title"
      data-testid="survey-preview"
    >
      <h2 id="preview-title">{t('preview.title')}</h2>
      <p className="hint">{t('preview.hint')}</p>
      {segmented('what', VIEWS, view, setView)}
      {kind === 'page' ? segmented('category', CATEGORIES, category, setCategory) : null}
      {segmented(
        'width',
        [
          { value: 'desktop', label: 'preview.desktop' },
          { value: 'phone', label: 'preview.phone' },
        ] as const,
        width,
        setWidth,
      )}
      <ErrorMessage error={error} />
      {result ? (
        <>
          {result.subject ? (
            <p className="preview-subject">
              <span className="muted">{t('preview.subject')}</span>{' '}
              <strong data-testid="preview-subject">{result.subject}</strong>
            </p>
          ) : null}
          <ScaledFrame
            html={result.html}
            width={LOGICAL_WIDTH[kind][width]}
            title={t('preview.frameTitle')}
          />
        </>
      ) : null}
    </section>
  );
}
