/**
 * The one Dutch working-day calendar of Loyaal: public holidays (Easter-based ones included,
 * King's Day's Sunday rule, Good Friday and Liberation Day as the organisation chooses), office
 * hours in Europe/Amsterdam and an organisation's own closed days. Case due times, escalation,
 * visit planning and reports all count working time with these functions.
 */
export * from './zoned-time.ts';
export * from './easter.ts';
export * from './dutch-holidays.ts';
export * from './working-time.ts';
