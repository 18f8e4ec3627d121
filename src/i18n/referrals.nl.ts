/**
 * Dutch texts of the referral programme (issue 12), in the formal voice; spread into
 * `messages.nl.ts`. Customer-facing keys start with `page.` or `email.` so the voice test covers
 * them; `referral.` keys are for staff (the fraud review).
 */
export const referralsNl = {
  'email.programme.subject': 'Uw persoonlijke link: raad {organisation} aan',
  'email.programme.intro':
    'U gaf aan dat u {organisation} wilt aanbevelen. Dank u wel! Daarom krijgt u een persoonlijke link die u kunt delen met vrienden, familie of collega’s.',
  'email.programme.friend': 'Uw vriend krijgt ook iets: {offer}.',
  'email.programme.how':
    'Deel uw link via WhatsApp of e-mail, of noem uw code {code} aan de balie. Wordt iemand via u klant, dan ontvangt u uw beloning zodra de eerste betaalde afspraak achter de rug is.',
  'email.programme.never':
    '{organisation} stuurt uw vrienden nooit zelf een e-mail namens u. U deelt de link alleen met wie u wilt.',
  'email.programme.cta': 'Naar uw persoonlijke pagina',
  'email.programme.footer':
    'U krijgt deze e-mail omdat u zich bij {organisation} bekendmaakte als ambassadeur.',
  'email.programme.unsubscribe': 'Geen e-mails meer over het ambassadeursprogramma',
  'email.welcome.subject': 'Welkom bij {organisation}',
  'email.welcome.intro':
    'U liet uw gegevens achter bij {organisation} via een aanbeveling. Als welkom: {offer}.',
  'email.welcome.code': 'Noem bij uw eerste bezoek de code {code}, of laat de tegoedbon zien.',
  'email.welcome.cta': 'Bekijk uw tegoedbon',
  'email.welcome.footer':
    'U krijgt deze e-mail omdat u {organisation} vroeg om contact met u op te nemen.',
  'email.welcome.unsubscribe': 'Geen contact meer',

  'page.amb.share.title': 'Uw persoonlijke link',
  'page.amb.share.hello': 'Dank u wel, {name}!',
  'page.amb.share.paused':
    'Het programma staat voor u even stil. Uw link werkt weer zodra het verdergaat.',
  'page.amb.share.friendGets': 'Uw vriend krijgt: {offer}.',
  'page.amb.share.linkTitle': 'Uw link om te delen',
  'page.amb.share.copy': 'Kopieer',
  'page.amb.share.copied': 'Gekopieerd',
  'page.amb.share.whatsapp': 'Deel via WhatsApp',
  'page.amb.share.whatsappText': 'Ik raad {organisation} aan. Kijk maar: {link}',
  'page.amb.share.qr': 'QR-code van uw link',
  'page.amb.share.codeIntro': 'Of laat uw vriend deze code noemen aan de balie:',
  'page.amb.share.never':
    '{organisation} stuurt uw vrienden nooit zelf een e-mail namens u. U bepaalt met wie u deelt.',
  'page.amb.share.nameTitle': 'Uw naam op de pagina van uw vriend',
  'page.amb.share.showName':
    'Mijn vriend mag zien dat ik het ben: "{name} raadt {organisation} aan".',
  'page.amb.share.save': 'Opslaan',
  'page.amb.share.nameShown': 'Uw naam staat nu op de pagina van uw vrienden.',
  'page.amb.share.nameHidden': 'Uw naam staat niet op de pagina van uw vrienden.',
  'page.amb.share.resultsTitle': 'Wat uw aanbevelingen opleverden',
  'page.amb.share.results': '{referrals} aangemeld, {conversions} klant geworden.',
  'page.amb.share.unsubscribe': 'Geen e-mails meer over het ambassadeursprogramma',
  'page.amb.reward.pending': 'Wordt binnenkort toegekend',
  'page.amb.reward.review': 'Wordt nagekeken',
  'page.amb.reward.issued': 'Klaar om te gebruiken',
  'page.amb.reward.redeemed': 'Gebruikt',
  'page.amb.reward.expired': 'Verlopen',
  'page.amb.reward.voided': 'Vervallen',
  'page.amb.unsubscribe.title': 'Afmelden',
  'page.amb.unsubscribe.question':
    'Wilt u geen e-mails meer van {organisation} over het ambassadeursprogramma? Uw link blijft werken.',
  'page.amb.unsubscribe.button': 'Afmelden',
  'page.amb.unsubscribe.doneTitle': 'U bent afgemeld',
  'page.amb.unsubscribe.doneText':
    'U krijgt geen e-mails meer van {organisation} over het ambassadeursprogramma.',

  'page.amb.friend.recommendedBy': '{name} raadt {organisation} aan',
  'page.amb.friend.recommended': 'Iemand die u kent raadt {organisation} aan',
  'page.amb.friend.offer': 'Als welkom krijgt u: {offer}.',
  'page.amb.friend.intro':
    'Laat uw naam en e-mailadres of telefoonnummer achter, dan neemt {organisation} contact met u op.',
  'page.amb.friend.name': 'Naam',
  'page.amb.friend.email': 'E-mailadres',
  'page.amb.friend.phone': 'Telefoonnummer',
  'page.amb.friend.emailOrPhone': 'Een e-mailadres of een telefoonnummer is genoeg.',
  'page.amb.friend.consent': '{organisation} mag contact met mij opnemen over deze aanbeveling.',
  'page.amb.friend.submit': 'Versturen',
  'page.amb.friend.privacy':
    '{organisation} gebruikt uw gegevens alleen om contact met u op te nemen over deze aanbeveling.',
  'page.amb.friend.fix': 'Niet alles is goed ingevuld. Kijk de gemarkeerde velden na.',
  'page.amb.friend.error.name': 'Vul uw naam in (hooguit 200 tekens).',
  'page.amb.friend.error.email':
    'Dit e-mailadres klopt niet. Controleer het, of laat het leeg en vul een telefoonnummer in.',
  'page.amb.friend.error.phone':
    'Dit telefoonnummer klopt niet: gebruik cijfers, bijvoorbeeld 06 12345678.',
  'page.amb.friend.error.contact': 'Vul een e-mailadres of een telefoonnummer in.',
  'page.amb.friend.error.again':
    'Controleer uw gegevens en verstuur het formulier nog een keer. Zo houden we automatische spam tegen.',
  'page.amb.friend.error.consent':
    'Vink aan dat {organisation} contact met u mag opnemen; anders kunnen we niets met uw gegevens.',
  'page.amb.friend.thanksTitle': 'Dank u wel!',
  'page.amb.friend.thanksText': '{organisation} neemt binnenkort contact met u op.',
  'page.amb.friend.closedTitle': 'Deze link werkt nu niet',
  'page.amb.friend.closedText':
    'Het aanbevelingsprogramma van {organisation} staat op dit moment stil. U kunt natuurlijk altijd rechtstreeks contact opnemen.',
  'page.amb.friendStop.title': 'Geen contact meer',
  'page.amb.friendStop.question':
    'Wilt u dat {organisation} geen contact meer met u opneemt over deze aanbeveling? Uw e-mailadres en telefoonnummer worden dan verwijderd.',
  'page.amb.friendStop.button': 'Geen contact meer',
  'page.amb.friendStop.doneTitle': 'Verwerkt',
  'page.amb.friendStop.doneText':
    '{organisation} neemt over deze aanbeveling geen contact meer met u op.',

  'page.amb.voucher.title': 'Tegoedbon',
  'page.amb.voucher.valid': 'Geldig.',
  'page.amb.voucher.validUntil': 'Geldig tot {date}.',
  'page.amb.voucher.redeemed': 'Gebruikt op {date}.',
  'page.amb.voucher.expired': 'Verlopen op {date}.',
  'page.amb.voucher.voided': 'Deze tegoedbon is vervallen.',
  'page.amb.voucher.pending': 'Deze tegoedbon is nog niet klaar om te gebruiken.',
  'page.amb.voucher.show': 'Laat deze code of QR-code zien aan de balie:',
  'page.amb.voucher.qr': 'QR-code van de tegoedbon',
  'page.amb.voucher.print': 'Printen mag ook.',

  'page.amb.counter.title': 'Tegoedbon inwisselen',
  'page.amb.counter.code': 'Code van de tegoedbon',
  'page.amb.counter.check': 'Controleren',
  'page.amb.counter.for': 'Voor: {name}',
  'page.amb.counter.redeem': 'Inwisselen',
  'page.amb.counter.done': 'Ingewisseld: {description}. De bon is nu gebruikt.',
  'page.amb.counter.unknown': 'Deze code bestaat niet. Controleer de code op de bon.',
  'page.amb.counter.locked':
    'Te veel onjuiste codes geprobeerd. Het inwisselen is een kwartier geblokkeerd.',
  'page.amb.counter.typo.empty': 'Vul de code van de tegoedbon in.',
  'page.amb.counter.typo.length': 'Een code heeft 12 tekens, zoals 7KQ2-M9XD-4TB8.',
  'page.amb.counter.typo.character': 'De code bevat een teken dat in codes niet voorkomt.',
  'page.amb.counter.typo.check': 'Er is een teken verkeerd overgenomen. Controleer de code.',
  'page.amb.counter.refused.already_redeemed':
    'Deze bon is al gebruikt (op {date}). Niet opnieuw inwisselen.',
  'page.amb.counter.refused.expired': 'Deze bon is verlopen op {date}.',
  'page.amb.counter.refused.voided': 'Deze bon is vervallen en kan niet worden gebruikt.',
  'page.amb.counter.refused.not_yet_issued': 'Deze bon is nog niet toegekend.',
  'page.amb.counter.refused.not_redeemable': 'Dit is een cadeau, geen bon: geef het mee en klaar.',

  'referral.detail.email': 'e-mailadres',
  'referral.detail.phone': 'telefoonnummer',
  'referral.detail.address': 'adres',
  'referral.detail.licencePlate': 'kenteken',
  'referral.detail.household': 'huishouden (zelfde achternaam en postcode)',
  'referral.fraud.self_referral': 'Zelfde {details} als de ambassadeur: geen beloning.',
  'referral.fraud.already_customer': 'Was al klant (zelfde {details}): geen beloning.',
  'referral.fraud.duplicate_friend':
    'Al eerder aangemeld door een andere ambassadeur ({date}); de eerste aanmelding telt.',
  'referral.fraud.duplicate_friend_same':
    'Deze ambassadeur meldde deze vriend al eerder aan ({date}).',
  'referral.fraud.burst': '{count} aanmeldingen via deze link binnen {hours} uur: nakijken.',
  'referral.fraud.disposable_email': 'Wegwerp-e-mailadres ({domain}): nakijken.',
  'referral.fraud.referral_cycle':
    'De vriend lijkt op de ambassadeur die deze ambassadeur aanbracht (zelfde {details}): nakijken.',
} as const;
