import type { ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { Onboarding } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/i18n.tsx';
import type { Action } from '../lib/permissions.ts';
import { Link } from '../lib/router.tsx';
import { useNewSurvey } from '../lib/new-survey.hook.ts';
import { useCan, useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { Button, ErrorMessage, Loading, PageHeader } from '../components/ui.component.tsx';
import { InsightHomeScreen } from './insight.screen.tsx';
import { EmployeeHomeScreen } from './employee-home.screen.tsx';

type StepKey = keyof Onboarding['steps'];

interface Step {
  key: StepKey;
  title: MessageKey;
  todo: MessageKey;
  done: MessageKey;
  action: Action;
}

const STEPS: readonly Step[] = [
  {
    key: 'contacts',
    title: 'home.contacts',
    todo: 'home.contactsTodo',
    done: 'home.contactsDone',
    action: 'contacts:import',
  },
  {
    key: 'mail',
    title: 'home.mail',
    todo: 'home.mailTodo',
    done: 'home.mailDone',
    action: 'organisation:manage',
  },
  {
    key: 'survey',
    title: 'home.survey',
    todo: 'home.surveyTodo',
    done: 'home.surveyDone',
    action: 'surveys:send',
  },
  {
    key: 'results',
    title: 'home.results',
    todo: 'home.resultsTodo',
    done: 'home.resultsDone',
    action: 'responses:read',
  },
];

/**
 * The owner's home. On the first day a checklist of four steps, each ticked by what really happened
 * (the server reads it from the database): customers imported, mail set up and tested, a first
 * survey sent, answers in. Once answers arrive, the home is the results screen, with the steps
 * still open above it.
 */
export function HomeScreen() {
  const { me } = useSession();
  // An account manager's home is their own results (while the organisation shows NPS per employee).
  if (
    me.role === 'account_manager' &&
    me.employeeId &&
    me.organisation.settings.employeeNpsEnabled
  ) {
    return <EmployeeHomeScreen employeeId={me.employeeId} />;
  }
  return <OwnerHome />;
}

function OwnerHome() {
  const t = useT();
  const checklist = useLoad(() => api<Onboarding>('GET', '/onboarding'), []);
  if (!checklist.data) {
    return checklist.loading ? <Loading /> : <ErrorMessage error={checklist.error} />;
  }
  const c = checklist.data;
  if (c.hasAnswers) {
    return (
      <>
        {!c.complete ? <Checklist onboarding={c} compact /> : null}
        <InsightHomeScreen />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('home.title')} intro={t('home.intro')} />
      <Checklist onboarding={c} />
    </>
  );
}

function Checklist(props: { onboarding: Onboarding; compact?: boolean }) {
  const t = useT();
  const can = useCan();
  const newSurvey = useNewSurvey();
  const { steps } = props.onboarding;
  const next = STEPS.find((s) => !steps[s.key].done)?.key ?? null;
  const shown = props.compact ? STEPS.filter((s) => !steps[s.key].done) : STEPS;

  const action = (step: Step): ReactNode => {
    if (steps[step.key].done || !can(step.action)) return null;
    const variant = step.key === next ? 'btn btn-primary' : 'btn btn-secondary';
    switch (step.key) {
      case 'contacts':
        return (
          <Link className={variant} to="/import">
            {t('home.contactsAction')}
          </Link>
        );
      case 'mail':
        return (
          <Link className={variant} to="/settings/mail">
            {t('home.mailAction')}
          </Link>
        );
      case 'survey':
        return steps.survey.surveyId ? (
          <Link
            className={variant}
            to={
              steps.survey.surveyStatus === 'draft'
                ? `/surveys/${steps.survey.surveyId}`
                : `/surveys/${steps.survey.surveyId}/send`
            }
          >
            {steps.survey.surveyStatus === 'draft'
              ? t('home.surveyContinue')
              : t('home.surveySend')}
          </Link>
        ) : (
          <Button
            variant={step.key === next ? 'primary' : 'secondary'}
            busy={newSurvey.busy}
            onClick={() => void newSurvey.create()}
          >
            {t('surveys.new')}
          </Button>
        );
      case 'results':
        return null;
    }
  };

  const doneText = (step: Step): string => {
    if (step.key === 'contacts') {
      return t(step.done, { count: steps.contacts.count });
    }
    if (step.key === 'results') {
      return t(step.done, { count: steps.results.responses });
    }
    return t(step.done);
  };

  const todoText = (step: Step): string =>
    step.key === 'mail' && !steps.mail.delivers ? t('home.mailTodoNoServer') : t(step.todo);

  return (
    <section
      className={`card checklist${props.compact ? ' compact' : ''}`}
      aria-labelledby="checklist-title"
      data-testid="checklist"
    >
      <h2 id="checklist-title">{props.compact ? t('home.stillToDo') : t('home.steps')}</h2>
      <ErrorMessage error={newSurvey.error} />
      <ol className="checklist-steps">
        {shown.map((step) => {
          const done = steps[step.key].done;
          return (
            <li
              key={step.key}
              className={`checklist-step${done ? ' done' : ''}${step.key === next ? ' next' : ''}`}
              data-step={step.key}
              data-done={done ? 'true' : 'false'}
            >
              <span className="step-mark" aria-hidden="true">
                {done ? '✓' : STEPS.indexOf(step) + 1}
              </span>
              <div className="step-body">
                <h3>
                  {t(step.title)}
                  <span className="sr-only">
                    {' '}
                    — {done ? t('home.stepDone') : t('home.stepOpen')}
                  </span>
                </h3>
                <p>{done ? doneText(step) : todoText(step)}</p>
                {action(step)}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
