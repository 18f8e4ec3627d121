import { defineModule } from '../../platform/define-module.ts';
import {
  consentEventsHolder,
  contactHolder,
  erasedIdentifiersHolder,
} from './contacts.personal-data.ts';
import { contactRoutes } from './contacts.routes.ts';

/** Customers: consent, unsubscribe, search, keyset lists, export and erasure. */
export const contactsModule = defineModule({
  name: 'contacts',
  routes: contactRoutes,
  personalData: [contactHolder, consentEventsHolder, erasedIdentifiersHolder],
});
