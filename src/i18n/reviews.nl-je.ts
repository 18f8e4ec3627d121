/** The review request's Dutch texts in the informal voice ("je"); see `reviews.nl.ts`. */
export const reviewsNlJe = {
  'page.review.title': 'Wil je een review schrijven?',
  'page.review.why':
    'Jouw ervaring helpt anderen kiezen. We vragen dit iedereen die ons mag benaderen, welk cijfer je ook gaf.',
  'page.reviewPolicy.everyone':
    'Iedereen die in die enquête aangeeft dat we contact mogen opnemen, vragen we daarna om een review — welk cijfer je ook gaf. We vragen het niet alleen aan tevreden klanten en we houden niemand tegen die een lager cijfer gaf.',
  'page.reviewPolicy.email':
    'Wie daarmee instemt, krijgt {hours} uur na het antwoord ook één e-mail met die vraag, hoogstens één keer per jaar. Met één klik in die e-mail meld je je af voor reviewverzoeken; de enquêtes blijf je dan gewoon krijgen.',
  'page.reviewPolicy.real':
    'De vraag gaat alleen naar echte klanten: mensen uit onze eigen klantenlijst, na een bezoek of aankoop. Op de reviewsites zelf kan ook iemand anders een review plaatsen; hoe die sites reviews controleren, lees je op de site zelf.',
  'email.review.subject': 'Wil je een review schrijven over {organisation}?',
  'email.review.intro':
    'Onlangs gaf je antwoord op onze vraag of je {organisation} zou aanbevelen. Dank je wel daarvoor.',
  'email.review.ask':
    'Wil je ook anderen vertellen wat je van ons vindt? Een review helpt andere klanten kiezen en kost je een paar minuten.',
  'email.review.everyone':
    'We vragen dit iedereen die aangaf dat we contact mogen opnemen, welk cijfer je ook gaf. We betalen niet voor reviews.',
  'email.review.footer':
    'Je krijgt deze e-mail omdat je in de enquête van {organisation} aangaf dat we contact met je mogen opnemen. We vragen je hoogstens één keer per jaar om een review.',
  'page.reviewStop.question':
    'Wil je geen e-mails meer van {organisation} met de vraag om een review? Alleen die stoppen; de korte enquêtes blijf je krijgen.',
  'page.reviewStop.doneTitle': 'Je bent afgemeld voor reviewverzoeken',
  'page.reviewStop.doneText':
    'Je krijgt van {organisation} geen e-mails meer met de vraag om een review.',
} as const;
