/**
 * The JSON shapes the admin app reads, as the API's presenters spell them out. Kept in one file so
 * a change to a presenter shows up as a compile error in the screens that use it.
 */
import type { Locale } from './client.ts';
import type { Role } from '../lib/permissions.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OrganisationSettings {
  brandColor: string;
  logoUrl: string | null;
  senderName: string | null;
  employeeNpsEnabled: boolean;
  retentionMonths: number;
  /** Added by the contact-rules work; absent on older servers. */
  contactRules?: ContactRules;
}

/** The contact-frequency rules (PRODUCT.md principle 3), one set per organisation. */
export interface ContactRules {
  maxInvitationsPer365Days: number;
  minDaysBetweenInvitations: number;
  accountMaxContactsPerWindow: number;
  accountWindowDays: number;
  recentResponseDays: number;
  reminderAfterDays: number;
  maxReminders: 0 | 1;
}

export interface Organisation {
  id: string;
  name: string;
  locale: Locale;
  settings: OrganisationSettings;
  createdAt: string;
}

export interface Me {
  user: { id: string; email: string; name: string; locale: Locale } | null;
  role: Role;
  employeeId?: string | null;
  organisation: Organisation;
  csrfToken: string | null;
}

export type ContactStatus = 'active' | 'unsubscribed' | 'bounced' | 'erased';

export interface Contact {
  id: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: Locale;
  ownerEmployeeId: string | null;
  accountId: string | null;
  segment: string | null;
  attributes: Record<string, string>;
  consent: { status: string; source: string | null; at: string | null };
  status: ContactStatus;
  unsubscribedAt: string | null;
  bouncedAt: string | null;
  erasedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConsentEvent {
  id: string;
  kind: 'granted' | 'withdrawn' | 'unsubscribed' | 'resubscribed' | 'bounced' | 'complained';
  source: string;
  at: string;
}

export interface Account {
  id: string;
  externalId: string | null;
  name: string;
  segment: string | null;
  ownerEmployeeId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Employee {
  id: string;
  name: string;
  email: string | null;
  team: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  employeeId: string | null;
  createdAt: string;
}

export interface Invite {
  id: string;
  email: string;
  role: Role;
  employeeId: string | null;
  expiresAt: string;
}

export interface PublicInvite {
  email: string;
  role: Role;
  organisationName: string;
  existingUser: boolean;
  locale: Locale;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
