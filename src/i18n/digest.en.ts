/** English texts of the weekly digest (issue 10); spread into `messages.en.ts`. */
export const digestEn = {
  'digest.subject': 'Weekly summary {organisation}, week {week}',
  'digest.intro': 'Your summary of {organisation} for the week from {from} to {to}.',
  'digest.scope_own': 'This summary covers your own customers only.',
  'digest.week_title': 'NPS of the last 7 days',
  'digest.quarter_title': 'NPS of the last 90 days',
  'digest.nps_line':
    'NPS {nps} (95% interval {low} to {high}), based on {n, plural, one {# answer} other {# answers}}.',
  'digest.no_answers': 'No answers in this period.',
  'digest.change_rose_real': 'NPS rose from {before} to {after}; that rise is real.',
  'digest.change_rose_chance': 'NPS rose from {before} to {after}; that rise could be chance.',
  'digest.change_fell_real': 'NPS fell from {before} to {after}; that fall is real.',
  'digest.change_fell_chance': 'NPS fell from {before} to {after}; that fall could be chance.',
  'digest.change_same': 'NPS stayed at {after}, the same as the period before.',
  'digest.change_none': 'No comparison: too few answers in one of the two periods.',
  'digest.cases_title': 'Follow-up',
  'digest.cases_line':
    '{open, plural, one {# open case} other {# open cases}}, {overdue} of them past the deadline for the first contact.',
  'digest.notes_title': 'Celebrate and attention',
  'digest.note_celebrate':
    'Celebrate: the NPS of {name} really rose, from {before} to {after} in {period}.',
  'digest.note_attention':
    'Attention: the NPS of {name} really fell, from {before} to {after} in {period}.',
  'digest.note_nobody': 'an employee who no longer exists',
  'digest.comments_title': 'Recent comments from customers',
  'digest.open_app': 'Open Loyaal',
  'digest.footer':
    'You get this summary every Monday because it is switched on in My settings at {organisation}.',
  'digest.unsubscribe': 'Stop the weekly summary',
  'digest.page.title': 'Stop the weekly summary',
  'digest.page.question':
    'Do you no longer want the weekly summary of {organisation}? Other email from Loyaal, such as case alerts, keeps coming.',
  'digest.page.button': 'Stop the weekly summary',
  'digest.page.done_title': 'Weekly summary stopped',
  'digest.page.done_body':
    'You no longer get the weekly summary of {organisation}. You can switch it on again under My settings in Loyaal.',
  'digest.page.unknown_title': 'This link no longer works',
  'digest.page.unknown_body':
    'This link is unknown or too old. You can stop the weekly summary under My settings in Loyaal.',
};
