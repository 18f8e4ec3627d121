/** English texts of review requests (issue 12); spread into `messages.en.ts`. */
export const reviewsEn = {
  'page.review.title': 'Would you write a review?',
  'page.review.why':
    'Your experience helps others choose. We ask everyone who lets us contact them, whatever score they gave.',
  'page.review.on': 'Review on {site}',
  'page.review.how': 'Read',
  'page.review.howLink': 'how we collect reviews',
  'page.reviewPolicy.title': 'How we collect reviews',
  'page.reviewPolicy.invite':
    'After a visit or purchase, {organisation} asks customers in a short survey how likely they are to recommend us, on a scale from 0 to 10.',
  'page.reviewPolicy.everyone':
    'Everyone who says in that survey that we may contact them is then asked for a review — whatever score they gave. We do not ask only satisfied customers, and we do not hold back anyone who gave a lower score.',
  'page.reviewPolicy.sites': 'We ask for reviews on:',
  'page.reviewPolicy.noSites': '{organisation} is not asking for reviews at the moment.',
  'page.reviewPolicy.real':
    'We only ask real customers: people on our own customer list, after a visit or purchase. Anyone else can also post a review on the review sites themselves; how those sites check reviews is explained on each site.',
  'page.reviewPolicy.noReward':
    'We do not pay for reviews and give no discount or gift in exchange for one. We do not choose which reviews appear: the review sites decide that.',
  'problem.https_page_only': 'must be an https:// address',
} as const;
