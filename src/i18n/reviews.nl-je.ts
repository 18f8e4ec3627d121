/** The review request's Dutch texts in the informal voice ("je"); see `reviews.nl.ts`. */
export const reviewsNlJe = {
  'page.review.title': 'Wil je een review schrijven?',
  'page.review.why':
    'Jouw ervaring helpt anderen kiezen. We vragen dit iedereen die ons mag benaderen, welk cijfer je ook gaf.',
  'page.reviewPolicy.everyone':
    'Iedereen die in die enquête aangeeft dat we contact mogen opnemen, vragen we daarna om een review — welk cijfer je ook gaf. We vragen het niet alleen aan tevreden klanten en we houden niemand tegen die een lager cijfer gaf.',
  'page.reviewPolicy.real':
    'De vraag gaat alleen naar echte klanten: mensen uit onze eigen klantenlijst, na een bezoek of aankoop. Op de reviewsites zelf kan ook iemand anders een review plaatsen; hoe die sites reviews controleren, lees je op de site zelf.',
} as const;
