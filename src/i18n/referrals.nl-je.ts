/** The informal ("je") voice of the referral programme's customer-facing texts. */
export const referralsNlJe = {
  'email.programme.subject': 'Je persoonlijke link: raad {organisation} aan',
  'email.programme.intro':
    'Je gaf aan dat je {organisation} wilt aanbevelen. Dank je wel! Daarom krijg je een persoonlijke link die je kunt delen met vrienden, familie of collega’s.',
  'email.programme.friend': 'Je vriend krijgt ook iets: {offer}.',
  'email.programme.how':
    'Deel je link via WhatsApp of e-mail, of noem je code {code} aan de balie. Wordt iemand via jou klant, dan ontvang je je beloning zodra de eerste betaalde afspraak achter de rug is.',
  'email.programme.never':
    '{organisation} stuurt je vrienden nooit zelf een e-mail namens jou. Je deelt de link alleen met wie je wilt.',
  'email.programme.cta': 'Naar je persoonlijke pagina',
  'email.programme.footer':
    'Je krijgt deze e-mail omdat je je bij {organisation} bekendmaakte als ambassadeur.',
  'email.welcome.intro':
    'Je liet je gegevens achter bij {organisation} via een aanbeveling. Als welkom: {offer}.',
  'email.welcome.code': 'Noem bij je eerste bezoek de code {code}, of laat de tegoedbon zien.',
  'email.welcome.cta': 'Bekijk je tegoedbon',
  'email.welcome.footer':
    'Je krijgt deze e-mail omdat je {organisation} vroeg om contact met je op te nemen.',
  'page.amb.share.title': 'Je persoonlijke link',
  'page.amb.share.hello': 'Dank je wel, {name}!',
  'page.amb.share.paused':
    'Het programma staat voor jou even stil. Je link werkt weer zodra het verdergaat.',
  'page.amb.share.friendGets': 'Je vriend krijgt: {offer}.',
  'page.amb.share.linkTitle': 'Je link om te delen',
  'page.amb.share.qr': 'QR-code van je link',
  'page.amb.share.codeIntro': 'Of laat je vriend deze code noemen aan de balie:',
  'page.amb.share.never':
    '{organisation} stuurt je vrienden nooit zelf een e-mail namens jou. Jij bepaalt met wie je deelt.',
  'page.amb.share.nameTitle': 'Je naam op de pagina van je vriend',
  'page.amb.share.nameShown': 'Je naam staat nu op de pagina van je vrienden.',
  'page.amb.share.nameHidden': 'Je naam staat niet op de pagina van je vrienden.',
  'page.amb.share.resultsTitle': 'Wat je aanbevelingen opleverden',
  'page.amb.unsubscribe.question':
    'Wil je geen e-mails meer van {organisation} over het ambassadeursprogramma? Je link blijft werken.',
  'page.amb.unsubscribe.doneTitle': 'Je bent afgemeld',
  'page.amb.unsubscribe.doneText':
    'Je krijgt geen e-mails meer van {organisation} over het ambassadeursprogramma.',
  'page.amb.friend.recommended': 'Iemand die je kent raadt {organisation} aan',
  'page.amb.friend.offer': 'Als welkom krijg je: {offer}.',
  'page.amb.friend.intro':
    'Laat je naam en e-mailadres of telefoonnummer achter, dan neemt {organisation} contact met je op.',
  'page.amb.friend.privacy':
    '{organisation} gebruikt je gegevens alleen om contact met je op te nemen over deze aanbeveling.',
  'page.amb.friend.error.name': 'Vul je naam in (hooguit 200 tekens).',
  'page.amb.friend.error.again':
    'Controleer je gegevens en verstuur het formulier nog een keer. Zo houden we automatische spam tegen.',
  'page.amb.friend.error.consent':
    'Vink aan dat {organisation} contact met je mag opnemen; anders kunnen we niets met je gegevens.',
  'page.amb.friend.thanksTitle': 'Dank je wel!',
  'page.amb.friend.thanksText': '{organisation} neemt binnenkort contact met je op.',
  'page.amb.friend.closedText':
    'Het aanbevelingsprogramma van {organisation} staat op dit moment stil. Je kunt natuurlijk altijd rechtstreeks contact opnemen.',
  'page.amb.friendStop.question':
    'Wil je dat {organisation} geen contact meer met je opneemt over deze aanbeveling? Je e-mailadres en telefoonnummer worden dan verwijderd.',
  'page.amb.friendStop.doneText':
    '{organisation} neemt over deze aanbeveling geen contact meer met je op.',
} as const;
