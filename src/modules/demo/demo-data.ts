/**
 * Pure generators for the demo organisation "Garage De Vries": Dutch names, licence plates and
 * comments, driven by a seeded random generator so every `npm run demo` builds the same world.
 */

/** Mulberry32: a tiny, fast, seedable PRNG; good enough for demo data, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

const FIRST = [
  'Jan',
  'Piet',
  'Kees',
  'Anne',
  'Sanne',
  'Lotte',
  'Daan',
  'Sem',
  'Emma',
  'Julia',
  'Mohamed',
  'Fatima',
  'Renée',
  'Zoë',
  'Chloë',
  'Noë',
  'Thijs',
  'Bram',
  'Lieke',
  'Femke',
  'Ahmet',
  'Elif',
  'Priya',
  'Wouter',
  'Joost',
  'Marieke',
  'Hanneke',
  'Gerrit',
  'Willemijn',
  'Ilse',
  'Roel',
  'Youssef',
  'Sophie',
  'Mila',
];
const PREFIX = ['', '', '', 'de ', 'van ', 'van der ', 'van den ', "van 't ", 'ter ', 'den '];
const LAST = [
  'Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Mulder',
  'Bos',
  'Dijk',
  'Hof',
  'Berg',
  'Çelik',
  'Yılmaz',
  'El Amrani',
  'Boer',
  'Groot',
  'Dekker',
  'Brouwer',
  'Wit',
  'Hendriks',
  'Peters',
  'Kramer',
  'Vermeulen',
  'Hoekstra',
  'Koster',
  'Prins',
  'Huisman',
  'Kok',
  'Postma',
  'Leeuwen',
];
const CITIES = ['Utrecht', 'Amersfoort', 'Zeist', 'Houten', 'Nieuwegein', 'De Bilt', 'Bunnik'];
const MAKES = [
  'Volkswagen',
  'Toyota',
  'Kia',
  'Peugeot',
  'Renault',
  'Skoda',
  'Opel',
  'Ford',
  'Volvo',
];

export interface DemoPerson {
  name: string;
  firstName: string;
  email: string;
  phone: string;
  language: 'nl' | 'en';
  city: string;
  make: string;
  plate: string;
}

export function demoPerson(rand: () => number, n: number): DemoPerson {
  const first = pick(rand, FIRST);
  const prefix = pick(rand, PREFIX);
  const last = pick(rand, LAST);
  const local = `${first}.${prefix}${last}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/[^a-z.]/g, '');
  const letters = 'BDFGHJKLNPRSTVXZ';
  const plate = `${1 + Math.floor(rand() * 98)}-${pick(rand, [...letters])}${pick(rand, [...letters])}${pick(rand, [...letters])}-${Math.floor(rand() * 9)}`;
  return {
    name: `${first} ${prefix}${last}`,
    firstName: first,
    email: `${local}.${n}@example.nl`,
    phone: `06-${String(10_000_000 + Math.floor(rand() * 89_999_999)).slice(0, 8)}`,
    language: rand() < 0.1 ? 'en' : 'nl',
    city: pick(rand, CITIES),
    make: pick(rand, MAKES),
    plate,
  };
}

const COMMENTS = {
  nl: {
    promoter: [
      'Altijd snel geholpen en de auto was op tijd klaar.',
      'Eerlijk advies, ze doen niet meer dan nodig is.',
      '{employee} denkt echt met je mee. Top service!',
      'Vriendelijk personeel en duidelijke uitleg over de reparatie.',
      'Prima prijs-kwaliteitverhouding, ik kom hier al jaren.',
      'Leenauto stond klaar, super geregeld.',
    ],
    passive: [
      'Goed werk, maar de wachttijd voor een afspraak was lang.',
      'Prima, alleen de factuur was hoger dan ingeschat.',
      'Netjes gedaan. Online afspraak maken kan makkelijker.',
      'Redelijk, maar ik werd niet teruggebeld toen het uitliep.',
    ],
    detractor: [
      'De auto was niet op tijd klaar en niemand belde.',
      'Te duur voor een kleine beurt.',
      'Het probleem was na de reparatie nog steeds niet opgelost.',
      'Onvriendelijk ontvangen bij de balie.',
      'Factuur klopte niet en ik moest zelf achter alles aan.',
    ],
  },
  en: {
    promoter: [
      'Quick, friendly service and the car was ready on time.',
      'Honest advice, they never sell you more than you need.',
      'Great communication, they explained everything clearly.',
    ],
    passive: [
      'Good work, but it took a while to get an appointment.',
      'Fine, although the bill was higher than the estimate.',
    ],
    detractor: [
      'The car was not ready when promised and nobody called.',
      'Too expensive for a basic service.',
      'The problem came back a week after the repair.',
    ],
  },
} as const;

export function demoComment(
  rand: () => number,
  language: 'nl' | 'en',
  category: 'promoter' | 'passive' | 'detractor',
  employeeFirstName = 'Jan',
): string | null {
  if (rand() < 0.35) return null;
  // Praise names the customer's own account manager, as real comments do.
  return pick(rand, COMMENTS[language][category]).replace('{employee}', employeeFirstName);
}

/**
 * Draws a 0–10 score around a target NPS: the promoter and detractor probabilities are set so the
 * expected NPS equals `nps`, with passives filling the rest.
 */
export function demoScore(rand: () => number, nps: number): number {
  const detractor = Math.max(0.03, Math.min(0.6, 0.3 - nps / 250));
  const promoter = Math.max(0.05, Math.min(0.9, detractor + nps / 100));
  const r = rand();
  if (r < promoter) return rand() < 0.55 ? 9 : 10;
  if (r < promoter + detractor) return pick(rand, [2, 3, 4, 5, 5, 6, 6, 6]);
  return rand() < 0.5 ? 7 : 8;
}

/**
 * What the garage's staff wrote on their cases: demo content, like the customers' comments, in the
 * garage's own language (staff notes are not translated for the reader).
 */
export const CASE_NOTES = {
  called: [
    'Klant gebeld, excuses aangeboden en afspraak gemaakt om de auto opnieuw te bekijken.',
    'Teruggebeld: klant was vooral boos over het wachten. Uitgelegd wat er misging.',
    'Voicemail ingesproken en daarna gemaild; klant belde zelf terug.',
    'Gesproken met de klant, factuur samen doorgenomen.',
  ],
  resolved: [
    'Reparatie kosteloos overgedaan, klant is tevreden.',
    'Deel van de factuur gecrediteerd; klant komt graag terug.',
    'Leenauto aangeboden bij de volgende beurt, klant akkoord.',
    'Probleem opgelost bij het tweede bezoek, klant bedankt ons.',
  ],
  unresolvable: [
    'Klant wil geen contact meer en gaat naar een andere garage.',
    'Klant is verhuisd, niet meer bereikbaar.',
  ],
} as const;

/** The garage's kinds of workshop visit, as its workshop system names them, with a price range in cents. */
export const WORKSHOP_VISITS = [
  { kind: 'APK', from: 3_500, to: 6_500 },
  { kind: 'Onderhoudsbeurt', from: 18_000, to: 45_000 },
  { kind: 'Reparatie', from: 15_000, to: 120_000 },
  { kind: 'Bandenwissel', from: 6_000, to: 50_000 },
] as const;
