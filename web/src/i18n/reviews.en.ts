import type { reviewsNl } from './reviews.nl.ts';

/** English texts of the review-settings screen; the same keys as `reviews.nl.ts`. */
export const reviewsEn: Record<keyof typeof reviewsNl, string> = {
  'settings.reviewsCard': 'Reviews',
  'settings.reviewsCardText':
    'Which review sites you ask customers to review you on, and your public page on how you collect reviews.',
  'settings.reviewsCardLink': 'Set up reviews',
  'reviews.title': 'Reviews',
  'reviews.intro':
    'Everyone who says in the survey that you may contact them is asked for a review on the thank-you page, and by email if you wish — whatever score they gave. So you do not ask only happy customers: your reviews stay honest and you follow the rules of the EU and of Google.',
  'reviews.readOnly': 'Only the owner can change the review sites.',
  'reviews.ask': 'Ask for a review on the thank-you page',
  'reviews.askHint': 'Only customers who said you may contact them, whatever score they gave.',
  'reviews.email': 'Send an email asking for a review',
  'reviews.emailHint':
    'One email, separate from the survey, to everyone who said you may contact them — whatever score they gave. At most one per customer per year; the customer can stop it with one click.',
  'reviews.emailAfterHours': 'How many hours after the answer',
  'reviews.emailAfterHoursHint': 'From 1 to 336 hours (two weeks). 24 is a day later.',
  'reviews.sites': 'Review sites',
  'reviews.sitesHint':
    'At most four: one clear ask works better than a long list. https:// addresses only.',
  'reviews.noSites':
    'No review site chosen yet: the thank-you page and the email then do not ask for a review.',
  'reviews.site': 'Review site {n}',
  'reviews.kind': 'Site',
  'reviews.kind.google': 'Google',
  'reviews.kind.klantenvertellen': 'Klantenvertellen',
  'reviews.kind.trustpilot': 'Trustpilot',
  'reviews.kind.custom': 'Other site',
  'reviews.url': 'Address of your review page',
  'reviews.urlHint': 'The https:// address where a customer writes a review straight away.',
  'reviews.label': 'Name on the button',
  'reviews.labelHint': 'For example "our website" or the name of the site.',
  'reviews.addSite': 'Add a review site',
  'reviews.removeSite': 'Remove this site',
  'reviews.policy': 'How we collect reviews',
  'reviews.policyText':
    'Loyaal makes a public page for you that explains how you collect reviews: whom you ask, that the score plays no part, and on which sites. Every review ask links to it. The page follows what you save here.',
  'reviews.policyLink': 'View the public page',
};
