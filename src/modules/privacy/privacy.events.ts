import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

/**
 * A contact's personal data was erased in every module (AVG/GDPR art. 17). Modules that keep copies
 * outside the personal-data holders (caches, rollups with names, a webhook receiver's mirror)
 * subscribe to forget them too.
 */
export const contactErased = defineEvent('contact.erased', z.object({ contactId: z.string() }));
