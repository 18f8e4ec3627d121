import { digestNl } from './digest.nl.ts';
import { reviewsNl } from './reviews.nl.ts';
import { fieldsNl } from './fields.nl.ts';
import { referralsNl } from './referrals.nl.ts';
/** Dutch texts, the product's first language. Keys are shared with messages.en.ts. */
export const nl = {
  'admin.not_built':
    'De beheeromgeving van Loyaal is nog niet gebouwd. Voer `npm run build` uit en start de server opnieuw.',
  'error.validation_failed': 'Niet alle velden zijn goed ingevuld.',
  'error.invalid_json': 'De aanvraag is geen geldige JSON.',
  'error.payload_too_large': 'De aanvraag is te groot.',
  'error.unsupported_media_type': 'Dit type inhoud wordt niet ondersteund.',
  'error.not_found': 'Niet gevonden.',
  'error.unauthenticated': 'Log eerst in.',
  'error.invalid_credentials': 'E-mailadres of wachtwoord klopt niet.',
  'error.api_key_invalid': 'API-sleutel ongeldig of ingetrokken.',
  'error.forbidden': 'U hebt geen toegang tot deze gegevens.',
  'error.employee_nps_disabled': 'NPS per medewerker staat uit voor deze organisatie.',
  'error.csrf_failed': 'De beveiligingscontrole van het formulier is mislukt. Vernieuw de pagina.',
  'error.rate_limited': 'Te veel pogingen. Probeer het over een paar minuten opnieuw.',
  'error.conflict': 'Deze gegevens bestaan al.',
  'error.already_set_up': 'Loyaal is al ingericht. Log in met uw account.',
  'error.invite_invalid': 'Deze uitnodiging is ongeldig of verlopen.',
  'error.import_invalid_file': 'Dit bestand kan niet worden gelezen als CSV of Excel.',
  'error.email_not_retryable':
    'Deze e-mail kan niet opnieuw worden verstuurd: hij is al onderweg of verzonden, of de mailserver heeft de ontvanger geweigerd.',
  'error.import_expired':
    'Dit bestand lag langer dan een dag onaangeroerd en is daarom verwijderd. Upload het opnieuw om verder te gaan.',
  'error.upload_quota_exceeded':
    'Er staan al {used} MB aan onafgeronde imports klaar (hoogstens {max} MB per organisatie). Rond die eerst af of annuleer ze, en probeer het dan opnieuw.',
  'error.import_question_open':
    'Eerst een vraag over het bestand: welk teken scheidt de euro’s van de centen? Kies het en laat het bestand opnieuw controleren.',
  'problem.missing_date': 'heeft een kolom met de datum van het bezoek nodig',
  'problem.invalid_status':
    'is geen bekende status (gebruik bijvoorbeeld afgerond, geannuleerd of retour)',
  'import.visitField.customerNumber': 'Klantnummer',
  'import.visitField.email': 'E-mailadres klant',
  'import.visitField.phone': 'Telefoon klant',
  'import.visitField.visitedAt': 'Datum',
  'import.visitField.amount': 'Bedrag',
  'import.visitField.kind': 'Soort (APK, onderhoud …)',
  'import.visitField.location': 'Vestiging',
  'import.visitField.status': 'Status (afgerond, geannuleerd, retour)',
  'import.visitField.externalId': 'Werkorder- of factuurnummer',
  'import.visitField.customer': 'Klant',
  'error.import_not_ready': 'Deze import is nog niet klaar voor deze stap.',
  'error.import_has_errors':
    'Het bestand bevat afgekeurde regels. Kies: alleen de goede regels importeren, of niets.',
  'error.email_taken': 'Dit e-mailadres is al in gebruik.',
  'error.token_invalid': 'Deze link is ongeldig of verlopen.',
  'error.internal': 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
  'error.invalid_multipart':
    'Het bestand kwam niet goed aan: de upload is onvolledig of verkeerd opgebouwd. Probeer het opnieuw.',
  'error.storage_full':
    'De opslag van Loyaal is vol, dus er is niets opgeslagen. Vraag de beheerder om schijfruimte vrij te maken.',
  'error.database_unavailable':
    'De database is even niet bereikbaar. Er is niets opgeslagen; probeer het over een paar seconden opnieuw.',

  'problem.required': 'is verplicht',
  'problem.invalid_type': 'heeft een ongeldig type',
  'problem.invalid_email': 'is geen geldig e-mailadres',
  'problem.invalid_language': 'is geen bekende taal (gebruik nl of en)',
  'problem.invalid_value': 'heeft een ongeldige waarde',
  'problem.too_long': 'is te lang (maximaal {max} tekens)',
  'problem.too_short': 'is te kort (minimaal {min} tekens)',
  'problem.too_big': 'is te groot (maximaal {max})',
  'problem.too_small': 'is te klein (minimaal {min})',
  'problem.unknown_field': 'is geen bekend veld',
  'problem.invalid_cursor': 'is geen geldige paginacursor',
  'problem.duplicate_in_file': 'komt eerder in het bestand voor (regel {line})',
  'problem.unknown_employee': 'is geen bekende medewerker',
  'problem.unknown_location': 'is niet bekend bij deze organisatie',
  'problem.archived_location': 'is gearchiveerd',
  'problem.taken': 'is al in gebruik',
  'problem.https_only': 'moet een https://-adres van een afbeelding zijn',
  'problem.invalid_phone': 'is geen geldig telefoonnummer',
  // After the field's label ("E-mailadres ontbreekt, …"), or beside its column in an import.
  'problem.missing_identity':
    'ontbreekt, en er is ook geen klantnummer: zo is de klant niet te herkennen',
  'problem.missing_identity.mapping':
    'heeft geen kolom voor het e-mailadres of het klantnummer: zo zijn de klanten niet te herkennen',
  'problem.invalid_format': 'heeft een ongeldig formaat',
  'problem.weak_password': 'is te zwak (minimaal 10 tekens)',

  // surveys, invitations, email (issue 3, part A)
  'error.survey_archived': 'Deze enquête is gearchiveerd en kan niet meer worden verstuurd.',
  'problem.in_the_past': 'ligt in het verleden',
  'problem.end_before_start': 'moet na het begin liggen',
  'problem.too_many_waves': 'is te groot voor deze periode (minimaal een uur per ronde)',
  'skip.erased': 'gegevens gewist (AVG)',
  'skip.unsubscribed': 'heeft zich afgemeld',
  'skip.consent_withdrawn': 'heeft toestemming ingetrokken',
  'skip.bounced': 'e-mailadres onbereikbaar (bounce)',
  'skip.no_email': 'geen e-mailadres',
  'skip.responded_recently':
    '{days, plural, =0 {vandaag geantwoord} =1 {gisteren geantwoord} other {# dagen geleden geantwoord}} — weer uit te nodigen op {date}',
  'skip.case_follow_up':
    'kreeg op {date} de vervolgvraag bij een opgeloste zaak: een uitzondering op de contactregels, die wel meetelt',
  'skip.too_recent':
    '{days, plural, =0 {vandaag gevraagd} =1 {gisteren gevraagd} other {# dagen geleden gevraagd}} — weer uit te nodigen op {date}',
  'skip.too_recent_planned': 'staat al ingepland op {planned} — weer uit te nodigen op {date}',
  'skip.too_many_in_year':
    '{count} keer gevraagd in de afgelopen 365 dagen (maximaal {max}) — weer uit te nodigen op {date}',
  'skip.account_budget':
    'account {days, plural, =0 {vandaag gevraagd} =1 {gisteren gevraagd} other {# dagen geleden gevraagd}} — weer uit te nodigen op {date}',
  'skip.account_budget_planned':
    'account staat al ingepland op {planned} — weer uit te nodigen op {date}',
  'skip.duplicate_in_batch': 'staat dubbel in de selectie',
  'skip.unknown_contact': 'geen contact gevonden met dit e-mailadres of extern ID',
  'email.scale_low': '0 = helemaal niet waarschijnlijk',
  'email.greeting_first_name': 'Beste {name},',
  'email.greeting_salutation': '{salutation},',
  'email.greeting_anonymous': 'Beste klant,',
  'email.scale_high': '10 = zeer waarschijnlijk',
  'email.score_title': 'Geef {score} van 10',
  'email.case_follow_up_subject': 'Is uw probleem naar tevredenheid opgelost?',
  'email.case_follow_up_intro':
    'U liet ons onlangs weten dat iets niet goed ging, en we hebben geprobeerd het op te lossen. Is uw probleem naar tevredenheid opgelost? Geef het hieronder aan met één klik.',
  'email.reminder_subject': 'Herinnering: {subject}',
  'email.reminder_intro':
    'Een paar dagen geleden vroegen we uw mening. Hebt u nog even? Het kost maar een paar seconden.',
  'email.text_choose': 'Klik op het cijfer dat bij u past:',
  'email.footer':
    'U krijgt deze e-mail omdat u klant bent van {organisation}. We vragen uw mening hooguit een paar keer per jaar.',
  'email.unsubscribe': 'Afmelden voor deze e-mails',
  'page.footer': 'Verstuurd met Loyaal namens {organisation}.',
  'unsubscribe.title': 'Afmelden',
  'unsubscribe.question':
    'Wilt u geen e-mails meer ontvangen van {organisation} met de vraag om uw mening?',
  'unsubscribe.button': 'Ja, meld mij af',
  'unsubscribe.done_title': 'U bent afgemeld',
  'unsubscribe.done_body':
    'U ontvangt geen e-mails meer van {organisation} met de vraag om uw mening.',
  'unsubscribe.unknown_title': 'Link niet gevonden',
  'unsubscribe.unknown_body': 'Deze link is ongeldig. Er is niets veranderd.',

  // ---- Public response pages (src/modules/responses, src/modules/public-pages) ----
  'error.response_link_unknown': 'Deze link kennen we niet.',
  'error.response_link_expired': 'Deze link is verlopen.',
  'error.response_closed': 'Uw antwoord is vastgelegd en kan niet meer worden gewijzigd.',
  'error.survey_closed': 'Deze vragenlijst is gesloten.',
  'page.response.scaleHint': '0 = helemaal niet waarschijnlijk, 10 = zeer waarschijnlijk',
  'page.response.followUpNeutral': 'Wilt u uw antwoord toelichten?',
  'page.response.commentHint': 'Niet verplicht, maximaal {max} tekens.',
  'page.response.employeeHint': '0 = helemaal niet tevreden, 10 = zeer tevreden. Niet verplicht.',
  'page.response.optInsLegend': 'Tot slot',
  'page.response.submit': 'Verstuur',
  'page.response.update': 'Antwoord bijwerken',
  'page.response.editing': 'U hebt al geantwoord. U kunt uw antwoord wijzigen tot {date}.',
  'page.response.errorScore': 'Kies een cijfer van 0 tot 10.',
  'page.response.errorEmployeeScore': 'Kies voor de medewerker een cijfer van 0 tot 10, of geen.',
  'page.response.errorCommentTooLong':
    'Uw toelichting is te lang: maximaal {max} tekens. Maak hem korter en verstuur opnieuw.',
  'page.response.errorForm': 'Niet alles is goed ingevuld. Controleer uw antwoord.',
  'page.response.scoreSaved':
    'Uw score is opgeslagen. De rest is niet verplicht: licht uw cijfer gerust toe, of sluit deze pagina.',
  'page.thanks.title': 'Bedankt',
  'page.thanks.canChange': 'U kunt uw antwoord nog wijzigen tot {date}.',
  'page.thanks.changeLink': 'Antwoord wijzigen',
  'page.thanks.amb.title': 'Ambassadeur van {organisation}',
  'page.thanks.amb.what':
    'Bent u blij met {organisation}? Als ambassadeur krijgt u een eigen link en code om ons aan te raden aan wie u wilt, via WhatsApp, e-mail of aan de balie. U deelt zelf: wij mailen uw vrienden nooit.',
  'page.thanks.amb.name':
    'Uw naam gebruiken we alleen als u dat zelf aangeeft. U kunt op elk moment stoppen.',
  'page.thanks.amb.toPage': 'Naar uw persoonlijke pagina',
  'page.thanks.amb.join': 'Wilt u ambassadeur worden? Vink het vakje aan bij uw antwoord.',
  'page.closed.unknownTitle': 'Deze link werkt niet',
  'page.closed.unknownText':
    'We kunnen deze link niet vinden. Controleer of u de hele link uit de e-mail hebt gebruikt.',
  'page.closed.expiredTitle': 'Deze link is verlopen',
  'page.closed.expiredText':
    'U kunt via deze link niet meer antwoorden. Bedankt voor uw interesse.',
  'page.closed.closedTitle': 'Uw antwoord is vastgelegd',
  'page.closed.closedText':
    'Bedankt voor uw antwoord. De termijn om het te wijzigen is voorbij, dus het staat nu vast.',
  'page.closed.surveyTitle': 'Deze vragenlijst is gesloten',
  'page.closed.surveyText': 'Op deze vragenlijst kunt u op dit moment niet antwoorden.',
  'page.error.tooLargeTitle': 'Uw antwoord is te lang',
  'page.error.tooLargeText':
    'We hebben niets opgeslagen. Ga terug, maak uw toelichting korter (maximaal {max} tekens) en verstuur opnieuw.',
  'page.error.badRequestTitle': 'Dat ging niet goed',
  'page.error.badRequestText':
    'We konden uw antwoord niet verwerken en hebben niets opgeslagen. Ga terug en probeer het opnieuw.',
  'page.error.rateLimitedTitle': 'Even wachten',
  'page.error.rateLimitedText':
    'Er kwamen te veel antwoorden tegelijk binnen. Probeer het over een minuut opnieuw.',
  'page.error.internalTitle': 'Er ging iets mis',
  'page.error.internalText': 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
  'page.error.unavailableTitle': 'Even geduld',
  'page.error.unavailableText':
    'Deze pagina is heel even niet beschikbaar. Er is niets opgeslagen; probeer het over een minuut opnieuw.',
  'page.languageSwitch': 'English',
  'page.languageSwitchLabel': 'Read this page in English',
  'page.poster.title': 'Uw mening telt',
  'page.poster.scan':
    'Scan de code met uw telefoon en beantwoord één vraag. Het kost twintig seconden.',
  'page.poster.orVisit': 'Of ga naar:',
  'page.poster.qrAlt': 'QR-code naar de vragenlijst',
  'page.poster.print': 'Afdrukken',
  'xlsx.responses.sheet': 'Antwoorden',
  'xlsx.breakdown.sheet': 'Uitsplitsing',
  'xlsx.breakdown.columns':
    '{dimension};Antwoorden;NPS;NPS-marge van;NPS-marge tot;Geschatte NPS;Geschat van;Geschat tot;Minder dan {min} antwoorden;Ten opzichte van de organisatie',
  'xlsx.breakdown.none': '(geen)',
  'xlsx.breakdown.dim.employee': 'Accountmanager',
  'xlsx.breakdown.dim.team': 'Team',
  'xlsx.breakdown.dim.location': 'Vestiging',
  'xlsx.breakdown.dim.segment': 'Segment',
  'xlsx.breakdown.dim.account': 'Bedrijf',
  'xlsx.breakdown.dim.channel': 'Kanaal',
  'xlsx.breakdown.dim.survey': 'Enquête',
  'xlsx.breakdown.file.employee': 'nps-per-accountmanager',
  'xlsx.breakdown.file.team': 'nps-per-team',
  'xlsx.breakdown.file.location': 'nps-per-vestiging',
  'xlsx.breakdown.file.segment': 'nps-per-segment',
  'xlsx.breakdown.file.account': 'nps-per-bedrijf',
  'xlsx.breakdown.file.channel': 'nps-per-kanaal',
  'xlsx.breakdown.file.survey': 'nps-per-enquete',
  'xlsx.breakdown.pos.far-above': 'duidelijk hoger (99,8%)',
  'xlsx.breakdown.pos.above': 'hoger (95%)',
  'xlsx.breakdown.pos.within': 'binnen de ruis',
  'xlsx.breakdown.pos.below': 'lager (95%)',
  'xlsx.breakdown.pos.far-below': 'duidelijk lager (99,8%)',
  'xlsx.breakdown.channel.email': 'e-mail',
  'xlsx.breakdown.channel.anonymous': 'anonieme link of QR-code',
  'csv.responses.columns':
    'Beantwoord op;Score;Categorie;Toelichting;Score medewerker;Klant;Accountmanager;Klantbedrijf;Segment;Contact gewenst;Ambassadeur;Kanaal',
  'csv.category.promoter': 'promotor',
  'csv.category.passive': 'passief',
  'csv.category.detractor': 'criticaster',
  'csv.channel.email': 'e-mail',
  'csv.channel.anonymous': 'anonieme link',
  'csv.yes': 'ja',
  'csv.no': 'nee',

  // Contact import (src/modules/imports)
  'problem.empty_file': 'is leeg',
  'problem.no_header': 'heeft geen kopregel: de eerste regel moet de kolomnamen bevatten',
  'problem.not_a_spreadsheet': 'is geen CSV- of Excel-bestand',
  'problem.xls_not_supported': 'is een oud Excel-bestand (.xls): sla het op als .xlsx of CSV',
  'problem.unreadable_xlsx': 'is een beschadigd of onleesbaar Excel-bestand',
  'problem.unclosed_quote':
    'heeft een aanhalingsteken dat nergens wordt gesloten (vanaf regel {line})',
  'problem.unreadable_row': 'heeft een regel die niet te lezen is (regel {line})',
  'problem.too_many_columns': 'heeft te veel kolommen (maximaal {max})',
  'problem.too_many_columns_in_row':
    'heeft op regel {line} een waarde in kolom {column}; we lezen hoogstens {max} kolommen',
  'problem.xlsx_too_big':
    'wordt bij het uitpakken groter dan {mb} MB en is te groot om in te lezen. Bewaar het als CSV of verdeel het over meer bestanden',
  'problem.xlsx_too_many_strings':
    'bevat meer verschillende teksten dan we kunnen inlezen (hoogstens {max}). Bewaar het als CSV of verdeel het over meer bestanden',
  'problem.xlsx_cell_too_long': 'heeft een cel met meer dan {max} tekens',
  'problem.mapped_twice': 'is gekoppeld aan een veld dat al een andere kolom heeft',
  'problem.not_found': 'bestaat niet (meer)',
  'import.rejected.fileSuffix': 'afgekeurd',
  'problem.ambiguous_employee': 'past bij meer dan één medewerker: gebruik het e-mailadres',
  'import.field.name': 'Naam',
  'import.field.firstName': 'Voornaam',
  'import.field.infix': 'Tussenvoegsel',
  'import.field.lastName': 'Achternaam',
  'import.field.salutation': 'Aanhef',
  'salutation.mr': 'Geachte heer {surname}',
  'salutation.ms': 'Geachte mevrouw {surname}',
  'import.field.email': 'E-mailadres',
  'import.field.phone': 'Telefoon',
  'import.field.language': 'Taal',
  'import.field.owner': 'Accountmanager',
  'import.field.account': 'Bedrijf (account)',
  'import.field.segment': 'Segment',
  'import.field.location': 'Vestiging',
  'import.field.externalId': 'Klantnummer (extern ID)',
  'import.field.consent': 'Toestemming',
  'import.field.attributes': 'Extra kenmerk',
  'import.field.ignore': 'Niet importeren',
  'import.cli.detected':
    'Bestand {filename}: {format}, {encoding}, scheidingsteken {delimiter}, {rows} regels',
  'import.cli.mapping': '  kolom "{header}" → {target}',
  'import.cli.validated': 'Gecontroleerd: {valid} goed, {rejected} afgekeurd, van {total} regels',
  'import.cli.error': '  regel {line}, {column}: {message} ({value})',
  'import.cli.moreErrors': '  … en nog {count} fouten',
  'import.cli.completed':
    'Geïmporteerd: {created} nieuw, {updated} bijgewerkt, {rejected} afgekeurd',
  'import.cli.cancelled': 'Niets geïmporteerd (import {id} geannuleerd).',
  'import.cli.chooseMode':
    'Het bestand heeft afgekeurde regels. Kies --mode valid_only (alleen de goede regels) of --mode nothing (niets). Import {id} wacht op die keuze.',
  'import.cli.failed': 'Import mislukt: {message}',

  // What the command line tells a person (npm start, npm run demo)
  'cli.building':
    'Loyaal bouwt eerst de beheeromgeving. Dat gebeurt alleen bij de eerste start en duurt even…',
  'cli.built': 'Beheeromgeving gebouwd in {seconds} seconden.',
  'cli.running': 'Loyaal draait op {url}',
  'cli.stop': 'Stoppen: Ctrl+C.',
  'cli.demo.ready': 'De demo-organisatie "{organisation}" staat klaar ({seconds} s).',
  'cli.demo.counts':
    'Klanten: {contacts}, uitnodigingen: {invitations}, antwoorden: {responses}, onbestelbaar: {bounced}, afgemeld: {unsubscribed}.',
  'cli.demo.simulated':
    'De verzending is nagebootst: er is geen e-mail verstuurd, en vanuit de demo gaat ook nooit echt e-mail de deur uit.',
  'cli.demo.notEmpty':
    'De demo hoort in een eigen database; deze heeft al {count} organisatie(s). Kies een nieuwe, bijvoorbeeld DATABASE_URL=sqlite:./data/demo.db npm run demo.',
  'cli.demo.start': 'Start Loyaal met: {command}',
  'cli.demo.login': 'Log daarna in op {url} met {email} en wachtwoord {password}',

  // The organisation's mail server (src/modules/mail-server)
  'error.survey_not_active':
    'Deze enquête is nog een concept. De link en de QR-code werken zodra u hem activeert.',
  'error.secret_key_missing':
    'Het wachtwoord kan niet veilig worden opgeslagen: de beheerder van deze installatie moet eerst SECRET_KEY instellen (zie de README). Zonder wachtwoord kunt u de mailserver wel opslaan.',
  'problem.logo_svg':
    'is een SVG-bestand: dat tonen Gmail en Outlook niet in e-mails. Upload het logo als PNG of JPEG',
  'problem.logo_type': 'is geen PNG- of JPEG-afbeelding',
  'problem.logo_dimensions':
    'heeft een onbruikbaar formaat (het moet tussen 16 en 4.000 pixels breed en hoog zijn)',
  'problem.logo_too_large': 'is te groot (maximaal {max})',
  'problem.secret_key_missing': 'kan niet worden opgeslagen zolang SECRET_KEY niet is ingesteld',
  'problem.invalid_host': 'is geen geldige servernaam (bijvoorbeeld smtp.uwprovider.nl)',
  'problem.user_only': 'kan alleen een ingelogde gebruiker zijn, geen API-sleutel',
  'preview.sampleFirstName': 'Ingrid',
  'preview.sampleEmployee': 'Sanne',
  'preview.testSubject': '[Test] {subject}',
  'mail.test.subject': 'Testmail van Loyaal voor {organisation}',
  'mail.test.body':
    'Deze testmail laat zien dat de mailserver van {organisation} werkt: de uitnodigingen aan uw klanten gaan via dezelfde weg. U hoeft niets te doen.',
  'mail.test.accepted':
    'De mailserver heeft de testmail aangenomen voor {to}. Kijk in uw inbox, en voor de zekerheid ook bij de ongewenste e-mail.',
  'mail.reason.no_server':
    'Er is geen mailserver ingesteld. De testmail staat alleen in het lokale postvak van Loyaal en is niet verstuurd.',
  'mail.reason.password_unreadable':
    'Het opgeslagen wachtwoord van de mailserver kan niet worden gelezen, omdat SECRET_KEY ontbreekt of is veranderd. Vul het wachtwoord opnieuw in.',
  'mail.reason.host_not_found':
    'Deze server kennen we niet. Controleer de naam van de server, bijvoorbeeld smtp.uwprovider.nl.',
  'mail.reason.connection_refused':
    'De server weigert de verbinding. Meestal klopt de poort niet (vaak 587 met STARTTLS, of 465 met TLS), of houdt een firewall de verbinding tegen.',
  'mail.reason.timeout':
    'De server antwoordde niet op tijd. Controleer de naam en de poort; misschien houdt een firewall de verbinding tegen.',
  'mail.reason.tls':
    'De beveiligde verbinding kwam niet tot stand. Kies de beveiliging die bij de poort past: TLS bij poort 465, STARTTLS bij poort 587.',
  'mail.reason.auth_failed':
    'De server wees de gebruikersnaam of het wachtwoord af. Controleer ze allebei; sommige providers vragen om een apart app-wachtwoord.',
  'mail.reason.auth_required':
    'De server wil dat u inlogt. Vul een gebruikersnaam en wachtwoord in.',
  'mail.reason.sender_rejected':
    'De server weigert e-mail te versturen vanaf dit afzenderadres. Gebruik een adres waarvoor deze server mag versturen, meestal een adres van uw eigen domein.',
  'mail.reason.recipient_rejected': 'De server weigert uw e-mailadres als ontvanger.',
  'mail.reason.relay_denied':
    'De server wil de e-mail niet voor u doorsturen naar dit adres: hij wil dat u inlogt (vul een gebruikersnaam en wachtwoord in), of zijn beleid weigert het. Aan het adres zelf ligt het niet.',
  'mail.reason.message_rejected': 'De server nam de verbinding aan, maar weigerde het bericht.',
  'mail.reason.connection_closed': 'De server verbrak de verbinding onverwacht.',
  'mail.reason.unknown': 'Het versturen is mislukt.',
  'cases.mail.alert_subject': 'Nieuwe zaak: score {score} van {customer}',
  'cases.mail.escalation_subject': 'Niet op tijd opgevolgd: score {score} van {customer}',
  'cases.mail.alert_intro':
    'Een klant van {organisation} is niet tevreden. Neem contact op vóór de deadline.',
  'cases.mail.escalation_intro':
    'Deze klant van {organisation} is nog niet gebeld of gemaild, en de deadline is verstreken.',
  'cases.mail.customer': 'Klant',
  'cases.mail.score': 'Score',
  'cases.mail.comment': 'Toelichting',
  'cases.mail.no_comment': '(geen toelichting)',
  'cases.mail.phone': 'Telefoon',
  'cases.mail.email': 'E-mail',
  'cases.mail.may_contact': 'Wil gebeld worden',
  'cases.mail.yes': 'ja',
  'cases.mail.no': 'nee',
  'cases.mail.due': 'Contact vóór',
  'cases.mail.owner': 'Eigenaar',
  'cases.mail.unassigned': 'niemand toegewezen',
  'cases.mail.unknown_customer': 'onbekende klant',
  'cases.mail.open_case': 'Zaak openen',
  'problem.transition_not_allowed': 'kan niet van {from} naar {to}',
  'problem.contact_erased':
    'kan niet meer worden toegevoegd: de gegevens van deze klant zijn gewist (AVG)',
  'problem.already_ambassador': 'is al ambassadeur',
  'problem.ambassador_removed': 'kan niet meer veranderen: deze ambassadeur is verwijderd',
  'problem.referral_converted': 'kan niet meer veranderen: deze aanbeveling is al klant geworden',
  'problem.referral_not_converted':
    'kan niet worden teruggedraaid: deze aanbeveling is (nog) geen klant geworden',
  'problem.reward_not_in_review':
    'kan niet meer veranderen: deze beloning wacht niet (meer) op een beoordeling',
  'problem.conversion_cancelled':
    'kan niet meer: het eerste bezoek van deze aanbeveling is geannuleerd of terugbetaald',
  'problem.unknown_code': 'is onbekend',
  'problem.code_empty': 'is leeg',
  'problem.code_length': 'heeft 12 tekens, zoals 7KQ2-M9XD-4TB8',
  'problem.code_character': 'bevat een teken dat in codes niet voorkomt',
  'problem.code_check': 'klopt niet: er is een teken verkeerd overgenomen',
  'problem.voucher_already_redeemed': 'is al gebruikt; niet opnieuw inwisselen',
  'problem.voucher_expired': 'is verlopen',
  'problem.voucher_voided': 'is vervallen en kan niet worden gebruikt',
  'problem.voucher_not_yet_issued': 'is nog niet toegekend',
  'problem.voucher_not_redeemable': 'hoort bij een cadeau, niet bij een bon: geef het mee en klaar',
  'problem.case_closed': 'kan niet meer veranderen: de zaak is gesloten',
  ...referralsNl,
  ...reviewsNl,
  ...digestNl,
  ...fieldsNl,
  'webhooks.chat.response_created': 'Nieuw antwoord: score {score}',
  'webhooks.chat.response_updated': 'Antwoord gewijzigd: score {score}',
  'webhooks.chat.case_opened': 'Nieuwe zaak: score {score}',
  'webhooks.chat.case_updated': 'Zaak bijgewerkt (score {score})',
  'webhooks.chat.case_resolved': 'Zaak afgesloten (score {score})',
  'webhooks.chat.webhook_test': 'Testbericht van Loyaal',
  'webhooks.chat.ambassador_joined': 'Nieuwe ambassadeur',
  'webhooks.chat.referral_created': 'Nieuwe aanbeveling',
  'webhooks.chat.referral_converted': 'Aanbevolen vriend is klant geworden',
  'webhooks.chat.reward_issued': 'Beloning uitgegeven',
  'webhooks.chat.reward_redeemed': 'Beloning ingewisseld',
  'webhooks.chat.category': 'Categorie',
  'webhooks.chat.status': 'Status',
  'webhooks.chat.priority': 'Prioriteit',
  'webhooks.chat.status.open': 'open',
  'webhooks.chat.status.contacted': 'gecontacteerd',
  'webhooks.chat.status.resolved': 'opgelost',
  'webhooks.chat.status.unresolvable': 'niet op te lossen',
  'webhooks.chat.status.changed_by_customer': 'door klant aangepast',
  'webhooks.chat.priority.low': 'laag',
  'webhooks.chat.priority.normal': 'normaal',
  'webhooks.chat.priority.high': 'hoog',
  'webhooks.chat.priority.urgent': 'dringend',
  'problem.webhook_invalid_url': 'is geen geldig webadres',
  'problem.webhook_scheme': 'moet met https:// of http:// beginnen',
  'problem.webhook_credentials': 'mag geen gebruikersnaam of wachtwoord bevatten',
  'problem.webhook_private_address':
    'wijst naar een intern of lokaal adres; dat is niet toegestaan (zie WEBHOOK_ALLOW_PRIVATE)',
  'problem.webhook_metadata_address':
    'wijst naar de metadatadienst van een cloudplatform; dat is nooit toegestaan',
  'problem.customer_required': 'heeft een klantnummer, e-mailadres of telefoonnummer nodig',
  'problem.unknown_customer':
    'is geen bekende klant (niet gevonden op klantnummer, e-mailadres of telefoonnummer)',
  'problem.ambiguous_customer':
    'heeft een telefoonnummer dat meerdere klanten delen; geef het klantnummer of e-mailadres',
  'problem.erased_not_imported':
    'hoort bij een klant van wie de gegevens op eigen verzoek zijn gewist (AVG); die wordt niet opnieuw geïmporteerd. Wordt die weer klant, voeg die dan met de hand toe',
  'problem.customer_erased':
    'is een klant van wie de gegevens zijn gewist (AVG); er worden geen bezoeken meer bij opgeslagen',
  'problem.amount_negative':
    'is negatief; een negatief bedrag kan alleen bij een retour of creditnota',
  'problem.amount_precision': 'heeft meer dan twee decimalen',
  'problem.amount_range': 'is onwaarschijnlijk groot (meer dan € 10 miljoen)',
  'problem.amount_invalid': 'is geen bedrag',
  'problem.amount_convention': 'past niet bij het decimaalteken van het bestand',
  'problem.invalid_date': 'is geen datum (gebruik bijvoorbeeld 2026-11-28)',
  'problem.date_invalid': 'is geen datum (gebruik bijvoorbeeld 28-11-2026)',
  'problem.date_in_future': 'ligt in de toekomst',
  'problem.date_too_old': 'ligt voor 1990',
  'problem.invalid_idempotency_key': 'moet 8 tot 200 zichtbare tekens zijn',
  'visitSkip.visit_not_completed': 'het bezoek is geannuleerd of een retour',
  'visitSkip.visit_kind': 'deze soort bezoek zet geen uitnodiging klaar',
  'visitSkip.visit_late': 'het bezoek kwam te laat binnen om er nog naar te vragen',
  'visitSkip.trigger_off': 'uitnodigen na een bezoek stond uit',
  'visitSkip.not_eligible': 'de contactregels lieten geen uitnodiging toe',
  'problem.duplicate_in_batch': 'staat al eerder in deze batch (positie {index})',
} as const;
