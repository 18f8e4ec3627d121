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
  'page.reviewPolicy.email':
    'They also receive one email with that request {hours} hours after answering, at most once a year. One click in that email stops review requests; the surveys carry on as before.',
  'page.reviewPolicy.real':
    'We only ask real customers: people on our own customer list, after a visit or purchase. Anyone else can also post a review on the review sites themselves; how those sites check reviews is explained on each site.',
  'page.reviewPolicy.noReward':
    'We do not pay for reviews and give no discount or gift in exchange for one. We do not choose which reviews appear: the review sites decide that.',
  'email.review.subject': 'Would you write a review of {organisation}?',
  'email.review.intro':
    'You recently answered our question whether you would recommend {organisation}. Thank you for that.',
  'email.review.ask':
    'Would you also tell others what you think of us? A review helps other customers choose and takes a few minutes.',
  'email.review.everyone':
    'We ask everyone who said we may contact them, whatever score they gave. We do not pay for reviews.',
  'email.review.policy': 'How we collect reviews',
  'email.review.footer':
    'You receive this email because you said in the survey of {organisation} that we may contact you. We ask you for a review at most once a year.',
  'email.review.unsubscribe': 'No more review requests',
  'page.reviewStop.title': 'No more review requests?',
  'page.reviewStop.question':
    'Would you rather not receive emails from {organisation} asking for a review? Only those stop; you will still receive the short surveys.',
  'page.reviewStop.button': 'Unsubscribe from review requests',
  'page.reviewStop.doneTitle': 'You are unsubscribed from review requests',
  'page.reviewStop.doneText': '{organisation} will no longer email you asking for a review.',
  'problem.https_page_only': 'must be an https:// address',
} as const;
