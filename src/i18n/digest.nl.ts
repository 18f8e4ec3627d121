/**
 * Dutch texts of the weekly digest (issue 10): the email to staff and its unsubscribe page, in
 * the formal voice staff mail uses; spread into `messages.nl.ts`.
 */
export const digestNl = {
  'digest.subject': 'Weekoverzicht {organisation}, week {week}',
  'digest.intro': 'Uw overzicht van {organisation} over de week van {from} tot en met {to}.',
  'digest.scope_own': 'Dit overzicht gaat alleen over uw eigen klanten.',
  'digest.week_title': 'NPS van de afgelopen 7 dagen',
  'digest.quarter_title': 'NPS van de afgelopen 90 dagen',
  'digest.nps_line':
    'NPS {nps} (95%-interval {low} tot {high}), op basis van {n, plural, one {# antwoord} other {# antwoorden}}.',
  'digest.no_answers': 'Geen antwoorden in deze periode.',
  'digest.change_rose_real': 'De NPS steeg van {before} naar {after}; die stijging is echt.',
  'digest.change_rose_chance':
    'De NPS steeg van {before} naar {after}; die stijging kan toeval zijn.',
  'digest.change_fell_real': 'De NPS daalde van {before} naar {after}; die daling is echt.',
  'digest.change_fell_chance':
    'De NPS daalde van {before} naar {after}; die daling kan toeval zijn.',
  'digest.change_same': 'De NPS bleef {after}, gelijk aan de periode ervoor.',
  'digest.change_none': 'Geen vergelijking: te weinig antwoorden in een van beide periodes.',
  'digest.cases_title': 'Opvolging',
  'digest.cases_line':
    '{open, plural, one {# open zaak} other {# open zaken}}, waarvan {overdue} over de termijn voor het eerste contact.',
  'digest.notes_title': 'Vieren en aandacht',
  'digest.note_celebrate':
    'Vieren: de NPS van {name} steeg echt, van {before} naar {after} in {period}.',
  'digest.note_attention':
    'Aandacht: de NPS van {name} daalde echt, van {before} naar {after} in {period}.',
  'digest.note_nobody': 'een medewerker die niet meer bestaat',
  'digest.comments_title': 'Recente opmerkingen van klanten',
  'digest.open_app': 'Open Loyaal',
  'digest.footer':
    'U krijgt dit overzicht elke maandag omdat het aanstaat in Mijn instellingen bij {organisation}.',
  'digest.unsubscribe': 'Geen weekoverzicht meer ontvangen',
  'digest.page.title': 'Weekoverzicht uitzetten',
  'digest.page.question':
    'Wilt u het wekelijkse overzicht van {organisation} niet meer ontvangen? Andere e-mail van Loyaal, zoals meldingen over zaken, blijft komen.',
  'digest.page.button': 'Weekoverzicht uitzetten',
  'digest.page.done_title': 'Weekoverzicht uitgezet',
  'digest.page.done_body':
    'U ontvangt het weekoverzicht van {organisation} niet meer. Weer aanzetten kan onder Mijn instellingen in Loyaal.',
  'digest.page.unknown_title': 'Deze link werkt niet meer',
  'digest.page.unknown_body':
    'Deze link is onbekend of te oud. U kunt het weekoverzicht uitzetten onder Mijn instellingen in Loyaal.',
} as const;
