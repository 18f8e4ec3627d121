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
  'page.reviewPolicy.real':
    'De vraag gaat alleen naar echte klanten: mensen uit onze eigen klantenlijst, na een bezoek of aankoop. Op de reviewsites zelf kan ook iemand anders een review plaatsen; hoe die sites reviews controleren, leest u op de site zelf.',
  'page.reviewPolicy.noReward':
    'We betalen niet voor reviews en geven geen korting of cadeau in ruil voor een review. We kiezen niet welke reviews verschijnen: dat bepalen de reviewsites.',
  'problem.https_page_only': 'moet een https://-adres zijn',
} as const;
