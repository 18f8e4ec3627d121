import { reviewsNlJe } from './reviews.nl-je.ts';
import { referralsNlJe } from './referrals.nl-je.ts';
import type { nl } from './messages.nl.ts';

/**
 * The Dutch customer-facing texts in the informal voice ("je"), for organisations that chose it.
 * `messages.nl.ts` holds the same keys in the formal voice ("u"), the default; a test checks that
 * every customer-facing key has both and that neither voice slips into the other.
 */
export const nlJe = {
  'email.case_follow_up_subject': 'Is je probleem naar tevredenheid opgelost?',
  'email.case_follow_up_intro':
    'Je liet ons onlangs weten dat iets niet goed ging, en we hebben geprobeerd het op te lossen. Is je probleem naar tevredenheid opgelost? Geef het hieronder aan met één klik.',
  'email.reminder_intro':
    'Een paar dagen geleden vroegen we je mening. Heb je nog even? Het kost maar een paar seconden.',
  'email.text_choose': 'Klik op het cijfer dat bij je past:',
  'email.footer':
    'Je krijgt deze e-mail omdat je klant bent van {organisation}. We vragen je mening hooguit een paar keer per jaar.',
  'email.greeting_anonymous': 'Hallo,',
  'unsubscribe.question':
    'Wil je geen e-mails meer ontvangen van {organisation} met de vraag om je mening?',
  'unsubscribe.done_title': 'Je bent afgemeld',
  'unsubscribe.done_body':
    'Je ontvangt geen e-mails meer van {organisation} met de vraag om je mening.',
  'error.response_closed': 'Je antwoord is vastgelegd en kan niet meer worden gewijzigd.',
  'page.response.followUpNeutral': 'Wil je je antwoord toelichten?',
  'page.response.editing': 'Je hebt al geantwoord. Je kunt je antwoord wijzigen tot {date}.',
  'page.response.errorCommentTooLong':
    'Je toelichting is te lang: maximaal {max} tekens. Maak hem korter en verstuur opnieuw.',
  'page.response.errorForm': 'Niet alles is goed ingevuld. Controleer je antwoord.',
  'page.thanks.canChange': 'Je kunt je antwoord nog wijzigen tot {date}.',
  'page.thanks.amb.what':
    'Ben je blij met {organisation}? Als ambassadeur krijg je een eigen link en code om ons aan te raden aan wie je wilt, via WhatsApp, e-mail of aan de balie. Je deelt zelf: wij mailen je vrienden nooit.',
  'page.thanks.amb.name':
    'Je naam gebruiken we alleen als je dat zelf aangeeft. Je kunt op elk moment stoppen.',
  'page.thanks.amb.toPage': 'Naar je persoonlijke pagina',
  'page.thanks.amb.join': 'Wil je ambassadeur worden? Vink het vakje aan bij je antwoord.',
  'page.closed.unknownText':
    'We kunnen deze link niet vinden. Controleer of je de hele link uit de e-mail hebt gebruikt.',
  'page.closed.expiredText':
    'Je kunt via deze link niet meer antwoorden. Bedankt voor je interesse.',
  'page.closed.closedTitle': 'Je antwoord is vastgelegd',
  'page.closed.closedText':
    'Bedankt voor je antwoord. De termijn om het te wijzigen is voorbij, dus het staat nu vast.',
  'page.closed.surveyText': 'Op deze vragenlijst kun je op dit moment niet antwoorden.',
  'page.error.tooLargeTitle': 'Je antwoord is te lang',
  'page.error.tooLargeText':
    'We hebben niets opgeslagen. Ga terug, maak je toelichting korter (maximaal {max} tekens) en verstuur opnieuw.',
  'page.error.badRequestText':
    'We konden je antwoord niet verwerken en hebben niets opgeslagen. Ga terug en probeer het opnieuw.',
  'page.poster.title': 'Jouw mening telt',
  'page.poster.scan':
    'Scan de code met je telefoon en beantwoord één vraag. Het kost twintig seconden.',
  'page.response.scoreSaved':
    'Je score is opgeslagen. De rest is niet verplicht: licht je cijfer gerust toe, of sluit deze pagina.',
  ...referralsNlJe,
  ...reviewsNlJe,
} as const satisfies Partial<Record<keyof typeof nl, string>>;
