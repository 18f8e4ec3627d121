// A screen with texts that belong in the catalogue (language-check.test.ts reads this file).
export const Fixture = (props: { t: (k: string) => string }) => (
  <form aria-label={props.t('nav.home')}>
    <button type="submit">Opslaan</button>
    <input aria-label="Naam" />
    <input placeholder={'Zoek een klant'} />
    <h2>{'Klanten'}</h2>
    <p>{props.t('nav.home')} · Loyaal</p>
  </form>
);
