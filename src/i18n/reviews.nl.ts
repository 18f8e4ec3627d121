/**
 * Dutch texts of review requests (issue 12), in the formal voice; spread into `messages.nl.ts`.
 * Customer-facing keys start with `page.` so the voice test covers them.
 */
export const reviewsNl = {
  'page.review.title': 'Wilt u een review schrijven?',
  'page.review.why':
    'Uw ervaring helpt anderen kiezen. We vragen dit iedereen die ons mag benaderen, welk cijfer u ook gaf.',
  'page.review.on': 'Review op {site}',
  'page.review.how': 'Lees',
  'page.review.howLink': 'hoe wij reviews verzamelen',
  'page.reviewPolicy.title': 'Hoe wij reviews verzamelen',
  'page.reviewPolicy.invite':
    'Na een bezoek of aankoop vraagt {organisation} klanten met een korte enquête hoe waarschijnlijk het is dat zij ons aanbevelen, met een cijfer van 0 tot en met 10.',
  'page.reviewPolicy.everyone':
    'Iedereen die in die enquête aangeeft dat we contact mogen opnemen, vragen we daarna om een review — welk cijfer u ook gaf. We vragen het niet alleen aan tevreden klanten en we houden niemand tegen die een lager cijfer gaf.',
  'page.reviewPolicy.sites': 'We vragen om een review op:',
  'page.reviewPolicy.noSites': '{organisation} vraagt op dit moment niet om reviews.',
  'page.reviewPolicy.email':
    'Wie daarmee instemt, krijgt {hours} uur na het antwoord ook één e-mail met die vraag, hoogstens één keer per jaar. Met één klik in die e-mail meldt u zich af voor reviewverzoeken; de enquêtes blijft u dan gewoon krijgen.',
  'page.reviewPolicy.real':
    'De vraag gaat alleen naar echte klanten: mensen uit onze eigen klantenlijst, na een bezoek of aankoop. Op de reviewsites zelf kan ook iemand anders een review plaatsen; hoe die sites reviews controleren, leest u op de site zelf.',
  'page.reviewPolicy.noReward':
    'We betalen niet voor reviews en geven geen korting of cadeau in ruil voor een review. We kiezen niet welke reviews verschijnen: dat bepalen de reviewsites.',
  'email.review.subject': 'Wilt u een review schrijven over {organisation}?',
  'email.review.intro':
    'Onlangs gaf u antwoord op onze vraag of u {organisation} zou aanbevelen. Dank u wel daarvoor.',
  'email.review.ask':
    'Wilt u ook anderen vertellen wat u van ons vindt? Een review helpt andere klanten kiezen en kost u een paar minuten.',
  'email.review.everyone':
    'We vragen dit iedereen die aangaf dat we contact mogen opnemen, welk cijfer u ook gaf. We betalen niet voor reviews.',
  'email.review.policy': 'Hoe wij reviews verzamelen',
  'email.review.footer':
    'U krijgt deze e-mail omdat u in de enquête van {organisation} aangaf dat we contact met u mogen opnemen. We vragen u hoogstens één keer per jaar om een review.',
  'email.review.unsubscribe': 'Geen reviewverzoeken meer',
  'page.reviewStop.title': 'Geen reviewverzoeken meer?',
  'page.reviewStop.question':
    'Wilt u geen e-mails meer van {organisation} met de vraag om een review? Alleen die stoppen; de korte enquêtes blijft u krijgen.',
  'page.reviewStop.button': 'Afmelden voor reviewverzoeken',
  'page.reviewStop.doneTitle': 'U bent afgemeld voor reviewverzoeken',
  'page.reviewStop.doneText':
    'U krijgt van {organisation} geen e-mails meer met de vraag om een review.',
  'problem.https_page_only': 'moet een https://-adres zijn',
} as const;
