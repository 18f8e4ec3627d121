import { z } from 'zod';

/** The member's own choice: the weekly digest on or off. */
export const digestSettingBody = z.strictObject({ weeklyDigest: z.boolean() });

export const digestSettingJson = z.object({
  weeklyDigest: z.boolean().describe('Whether this member gets the weekly digest'),
  byDefault: z
    .boolean()
    .describe('Whether the role gets it without a choice (owners, admins and managers)'),
  chosen: z.boolean().describe('Whether the member chose; false: the role’s default applies'),
});
