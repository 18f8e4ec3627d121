/**
 * Dutch texts of the review-settings screen (issue 12); spread into `nl.ts` so this feature's
 * texts live together and the shared catalogue changes by one line.
 */
export const reviewsNl = {
  'settings.reviewsCard': 'Reviews',
  'settings.reviewsCardText':
    'Op welke reviewsites u klanten vraagt een review te schrijven, en uw openbare pagina over hoe u reviews verzamelt.',
  'settings.reviewsCardLink': 'Reviews instellen',
  'reviews.title': 'Reviews',
  'reviews.intro':
    'Wie in de enquête aangeeft dat u contact mag opnemen, krijgt op de bedankpagina, en als u dat wilt ook per e-mail, de vraag om een review — welk cijfer hij ook gaf. U vraagt het dus niet alleen aan tevreden klanten: zo blijven uw reviews eerlijk en volgt u de regels van de EU en van Google.',
  'reviews.readOnly': 'Alleen de eigenaar kan de reviewsites wijzigen.',
  'reviews.ask': 'Vraag op de bedankpagina om een review',
  'reviews.askHint':
    'Alleen aan klanten die aangaven dat u contact mag opnemen, welk cijfer ze ook gaven.',
  'reviews.email': 'Stuur een e-mail met de vraag om een review',
  'reviews.emailHint':
    'Eén e-mail, los van de enquête, aan iedereen die aangaf dat u contact mag opnemen — welk cijfer hij ook gaf. Hoogstens één per klant per jaar; de klant kan zich er met één klik voor afmelden.',
  'reviews.emailAfterHours': 'Hoeveel uur na het antwoord',
  'reviews.emailAfterHoursHint': 'Van 1 tot 336 uur (twee weken). 24 is een dag later.',
  'reviews.sites': 'Reviewsites',
  'reviews.sitesHint':
    'Hoogstens vier: één duidelijke vraag werkt beter dan een lange lijst. Alleen https://-adressen.',
  'reviews.noSites':
    'Nog geen reviewsite gekozen: de bedankpagina en de e-mail vragen dan niet om een review.',
  'reviews.site': 'Reviewsite {n}',
  'reviews.kind': 'Site',
  'reviews.kind.google': 'Google',
  'reviews.kind.klantenvertellen': 'Klantenvertellen',
  'reviews.kind.trustpilot': 'Trustpilot',
  'reviews.kind.custom': 'Andere site',
  'reviews.url': 'Adres van uw reviewpagina',
  'reviews.urlHint': 'Het https://-adres waar een klant direct een review schrijft.',
  'reviews.label': 'Naam op de knop',
  'reviews.labelHint': 'Bijvoorbeeld "onze website" of de naam van de site.',
  'reviews.addSite': 'Reviewsite toevoegen',
  'reviews.removeSite': 'Deze site verwijderen',
  'reviews.policy': 'Hoe wij reviews verzamelen',
  'reviews.policyText':
    'Loyaal maakt voor u een openbare pagina die uitlegt hoe u reviews verzamelt: wie u vraagt, dat het cijfer daarbij niet telt en op welke sites. Elke reviewvraag linkt ernaar. De pagina volgt vanzelf wat u hier opslaat.',
  'reviews.policyLink': 'Bekijk de openbare pagina',
} as const satisfies Record<string, string>;
