import { digestEn } from './digest.en.ts';
import { reviewsEn } from './reviews.en.ts';
import { fieldsEn } from './fields.en.ts';
import { referralsEn } from './referrals.en.ts';
import type { nl } from './messages.nl.ts';

/** English texts. Same keys as the Dutch catalogue; the type makes a missing key a compile error. */
export const en: Record<keyof typeof nl, string> = {
  'admin.not_built':
    'The Loyaal admin app has not been built yet. Run `npm run build` and restart the server.',
  'error.validation_failed': 'Some fields are not filled in correctly.',
  'error.invalid_json': 'The request is not valid JSON.',
  'error.payload_too_large': 'The request is too large.',
  'error.unsupported_media_type': 'This content type is not supported.',
  'error.not_found': 'Not found.',
  'error.unauthenticated': 'Please log in first.',
  'error.invalid_credentials': 'Email address or password is incorrect.',
  'error.api_key_invalid': 'API key invalid or revoked.',
  'error.forbidden': 'You do not have access to this data.',
  'error.employee_nps_disabled': 'NPS per employee is switched off for this organisation.',
  'error.csrf_failed': 'The form security check failed. Please reload the page.',
  'error.rate_limited': 'Too many attempts. Please try again in a few minutes.',
  'error.conflict': 'This data already exists.',
  'error.already_set_up': 'Loyaal has already been set up. Log in with your account.',
  'error.invite_invalid': 'This invitation is invalid or has expired.',
  'error.import_invalid_file': 'This file cannot be read as CSV or Excel.',
  'error.email_not_retryable':
    'This email cannot be sent again: it is already on its way or has been sent, or the mail server refused the recipient.',
  'error.import_expired':
    'This file lay untouched for more than a day and has been deleted. Upload it again to continue.',
  'error.upload_quota_exceeded':
    'There are already {used} MB of unfinished imports waiting (at most {max} MB per organisation). Finish or cancel them first, then try again.',
  'error.import_question_open':
    'First a question about the file: which character separates euros from cents? Choose it and have the file checked again.',
  'problem.missing_date': 'needs a column with the date of the visit',
  'problem.invalid_status':
    'is not a known status (use for example completed, cancelled or refund)',
  'import.visitField.customerNumber': 'Customer number',
  'import.visitField.email': 'Customer email address',
  'import.visitField.phone': 'Customer phone',
  'import.visitField.visitedAt': 'Date',
  'import.visitField.amount': 'Amount',
  'import.visitField.kind': 'Kind (MOT, service …)',
  'import.visitField.location': 'Location',
  'import.visitField.status': 'Status (completed, cancelled, refund)',
  'import.visitField.externalId': 'Work order or invoice number',
  'import.visitField.customer': 'Customer',
  'error.import_not_ready': 'This import is not ready for this step yet.',
  'error.import_has_errors':
    'The file has rejected rows. Choose: import only the valid rows, or nothing.',
  'error.email_taken': 'This email address is already in use.',
  'error.token_invalid': 'This link is invalid or has expired.',
  'error.internal': 'Something went wrong on our side. Please try again later.',
  'error.invalid_multipart':
    'The file did not arrive intact: the upload is incomplete or malformed. Please try again.',
  'error.storage_full':
    "Loyaal's storage is full, so nothing was saved. Ask the administrator to free up disk space.",
  'error.database_unavailable':
    'The database cannot be reached for a moment. Nothing was saved; please try again in a few seconds.',

  'problem.required': 'is required',
  'problem.invalid_type': 'has an invalid type',
  'problem.invalid_email': 'is not a valid email address',
  'problem.invalid_language': 'is not a known language (use nl or en)',
  'problem.invalid_value': 'has an invalid value',
  'problem.too_long': 'is too long (at most {max} characters)',
  'problem.too_short': 'is too short (at least {min} characters)',
  'problem.too_big': 'is too large (at most {max})',
  'problem.too_small': 'is too small (at least {min})',
  'problem.unknown_field': 'is not a known field',
  'problem.invalid_cursor': 'is not a valid page cursor',
  'problem.duplicate_in_file': 'appears earlier in the file (line {line})',
  'problem.unknown_employee': 'is not a known employee',
  'problem.unknown_location': 'is not known to this organisation',
  'problem.archived_location': 'is archived',
  'problem.taken': 'is already in use',
  'problem.https_only': 'must be the https:// address of an image',
  'problem.invalid_phone': 'is not a valid phone number',
  // After the field's label ("Email address is missing, …"), or beside its column in an import.
  'problem.missing_identity':
    'is missing, and so is the customer number: the customer cannot be recognised',
  'problem.missing_identity.mapping':
    'has no column for the email address or the customer number: the customers cannot be recognised',
  'problem.invalid_format': 'has an invalid format',
  'problem.weak_password': 'is too weak (at least 10 characters)',

  // surveys, invitations, email (issue 3, part A)
  'error.survey_archived': 'This survey is archived and can no longer be sent.',
  'problem.in_the_past': 'is in the past',
  'problem.end_before_start': 'must be after the start',
  'problem.too_many_waves': 'has too many waves for this period (at least one hour per wave)',
  'skip.erased': 'personal data erased (GDPR)',
  'skip.unsubscribed': 'unsubscribed',
  'skip.consent_withdrawn': 'consent withdrawn',
  'skip.bounced': 'email address unreachable (bounced)',
  'skip.no_email': 'no email address',
  'skip.responded_recently':
    'responded {days, plural, =0 {today} =1 {yesterday} other {# days ago}} — eligible again on {date}',
  'skip.case_follow_up':
    'got the follow-up of a resolved case on {date}: an exception to the contact rules, which does count',
  'skip.too_recent':
    'asked {days, plural, =0 {today} =1 {yesterday} other {# days ago}} — eligible again on {date}',
  'skip.too_recent_planned': 'already scheduled for {planned} — eligible again on {date}',
  'skip.too_many_in_year':
    'asked {count} times in the last 365 days (at most {max}) — eligible again on {date}',
  'skip.account_budget':
    'account asked {days, plural, =0 {today} =1 {yesterday} other {# days ago}} — eligible again on {date}',
  'skip.account_budget_planned':
    'account already scheduled for {planned} — eligible again on {date}',
  'skip.duplicate_in_batch': 'appears twice in the selection',
  'skip.unknown_contact': 'no contact found with this email address or external id',
  'email.scale_low': '0 = not at all likely',
  'email.greeting_first_name': 'Dear {name},',
  'email.greeting_salutation': '{salutation},',
  'email.greeting_anonymous': 'Hello,',
  'email.scale_high': '10 = extremely likely',
  'email.score_title': 'Give {score} out of 10',
  'email.case_follow_up_subject': 'Is your problem solved to your satisfaction?',
  'email.case_follow_up_intro':
    'You recently told us that something went wrong, and we tried to put it right. Is your problem solved to your satisfaction? Let us know below with one click.',
  'email.reminder_subject': 'Reminder: {subject}',
  'email.reminder_intro':
    'A few days ago we asked for your opinion. Do you have a moment? It takes only a few seconds.',
  'email.text_choose': 'Click the number that fits:',
  'email.footer':
    'You receive this email because you are a customer of {organisation}. We ask for your opinion at most a few times a year.',
  'email.unsubscribe': 'Unsubscribe from these emails',
  'page.footer': 'Sent with Loyaal on behalf of {organisation}.',
  'unsubscribe.title': 'Unsubscribe',
  'unsubscribe.question':
    'Do you no longer want to receive emails from {organisation} asking for your opinion?',
  'unsubscribe.button': 'Yes, unsubscribe me',
  'unsubscribe.done_title': 'You are unsubscribed',
  'unsubscribe.done_body':
    'You will no longer receive emails from {organisation} asking for your opinion.',
  'unsubscribe.unknown_title': 'Link not found',
  'unsubscribe.unknown_body': 'This link is not valid. Nothing has been changed.',

  // ---- Public response pages (src/modules/responses, src/modules/public-pages) ----
  'error.response_link_unknown': 'We do not recognise this link.',
  'error.response_link_expired': 'This link has expired.',
  'error.response_closed': 'Your answer has been recorded and can no longer be changed.',
  'error.survey_closed': 'This survey is closed.',
  'page.response.scaleHint': '0 = not at all likely, 10 = extremely likely',
  'page.response.followUpNeutral': 'Would you like to explain your answer?',
  'page.response.commentHint': 'Optional, at most {max} characters.',
  'page.response.employeeHint': '0 = not at all satisfied, 10 = very satisfied. Optional.',
  'page.response.optInsLegend': 'Finally',
  'page.response.submit': 'Send',
  'page.response.update': 'Update answer',
  'page.response.editing': 'You have already answered. You can change your answer until {date}.',
  'page.response.errorScore': 'Choose a score from 0 to 10.',
  'page.response.errorEmployeeScore': 'Choose a score from 0 to 10 for the employee, or none.',
  'page.response.errorCommentTooLong':
    'Your explanation is too long: at most {max} characters. Please shorten it and send again.',
  'page.response.errorForm': 'Not everything is filled in correctly. Please check your answer.',
  'page.response.scoreSaved':
    'Your score has been saved. The rest is optional: feel free to explain your score, or close this page.',
  'page.thanks.title': 'Thank you',
  'page.thanks.canChange': 'You can still change your answer until {date}.',
  'page.thanks.changeLink': 'Change answer',
  'page.thanks.amb.title': 'Ambassador of {organisation}',
  'page.thanks.amb.what':
    'Happy with {organisation}? As an ambassador you get your own link and code to recommend us to whoever you like, by WhatsApp, email or at the counter. You share it yourself: we never email your friends.',
  'page.thanks.amb.name': 'We only use your name if you say so yourself. You can stop at any time.',
  'page.thanks.amb.toPage': 'To your personal page',
  'page.thanks.amb.join': 'Would you like to become an ambassador? Tick the box with your answer.',
  'page.closed.unknownTitle': 'This link does not work',
  'page.closed.unknownText':
    'We cannot find this link. Please check that you used the whole link from the email.',
  'page.closed.expiredTitle': 'This link has expired',
  'page.closed.expiredText':
    'You can no longer answer through this link. Thank you for your interest.',
  'page.closed.closedTitle': 'Your answer has been recorded',
  'page.closed.closedText':
    'Thank you for your answer. The period to change it has ended, so it is now final.',
  'page.closed.surveyTitle': 'This survey is closed',
  'page.closed.surveyText': 'This survey is not accepting answers at the moment.',
  'page.error.tooLargeTitle': 'Your answer is too long',
  'page.error.tooLargeText':
    'Nothing was saved. Please go back, shorten your explanation (at most {max} characters) and send again.',
  'page.error.badRequestTitle': 'That did not work',
  'page.error.badRequestText':
    'We could not process your answer, so nothing was saved. Please go back and try again.',
  'page.error.rateLimitedTitle': 'Please wait a moment',
  'page.error.rateLimitedText': 'Too many answers arrived at once. Please try again in a minute.',
  'page.error.internalTitle': 'Something went wrong',
  'page.error.internalText': 'Something went wrong on our side. Please try again later.',
  'page.error.unavailableTitle': 'One moment, please',
  'page.error.unavailableText':
    'This page is unavailable for a moment. Nothing was saved; please try again in a minute.',
  'page.languageSwitch': 'Nederlands',
  'page.languageSwitchLabel': 'Lees deze pagina in het Nederlands',
  'page.poster.title': 'Your opinion counts',
  'page.poster.scan':
    'Scan the code with your phone and answer one question. It takes twenty seconds.',
  'page.poster.orVisit': 'Or go to:',
  'page.poster.qrAlt': 'QR code to the survey',
  'page.poster.print': 'Print',
  'xlsx.responses.sheet': 'Answers',
  'xlsx.breakdown.sheet': 'Breakdown',
  'xlsx.breakdown.columns':
    '{dimension};Answers;NPS;NPS margin from;NPS margin to;Estimated NPS;Estimate from;Estimate to;Fewer than {min} answers;Compared with the organisation',
  'xlsx.breakdown.none': '(none)',
  'xlsx.breakdown.dim.employee': 'Account manager',
  'xlsx.breakdown.dim.team': 'Team',
  'xlsx.breakdown.dim.location': 'Location',
  'xlsx.breakdown.dim.segment': 'Segment',
  'xlsx.breakdown.dim.account': 'Company',
  'xlsx.breakdown.dim.channel': 'Channel',
  'xlsx.breakdown.dim.survey': 'Survey',
  'xlsx.breakdown.file.employee': 'nps-per-account-manager',
  'xlsx.breakdown.file.team': 'nps-per-team',
  'xlsx.breakdown.file.location': 'nps-per-location',
  'xlsx.breakdown.file.segment': 'nps-per-segment',
  'xlsx.breakdown.file.account': 'nps-per-company',
  'xlsx.breakdown.file.channel': 'nps-per-channel',
  'xlsx.breakdown.file.survey': 'nps-per-survey',
  'xlsx.breakdown.pos.far-above': 'clearly higher (99.8%)',
  'xlsx.breakdown.pos.above': 'higher (95%)',
  'xlsx.breakdown.pos.within': 'within the noise',
  'xlsx.breakdown.pos.below': 'lower (95%)',
  'xlsx.breakdown.pos.far-below': 'clearly lower (99.8%)',
  'xlsx.breakdown.channel.email': 'email',
  'xlsx.breakdown.channel.anonymous': 'anonymous link or QR code',
  'csv.responses.columns':
    'Answered at;Score;Category;Comment;Employee score;Customer;Account manager;Client company;Segment;May contact;Ambassador;Channel',
  'csv.category.promoter': 'promoter',
  'csv.category.passive': 'passive',
  'csv.category.detractor': 'detractor',
  'csv.channel.email': 'email',
  'csv.channel.anonymous': 'anonymous link',
  'csv.yes': 'yes',
  'csv.no': 'no',

  // Contact import (src/modules/imports)
  'problem.empty_file': 'is empty',
  'problem.no_header': 'has no header row: the first line must hold the column names',
  'problem.not_a_spreadsheet': 'is not a CSV or Excel file',
  'problem.xls_not_supported': 'is an old Excel file (.xls): save it as .xlsx or CSV',
  'problem.unreadable_xlsx': 'is a damaged or unreadable Excel file',
  'problem.unclosed_quote': 'has a quote that is never closed (from line {line})',
  'problem.unreadable_row': 'has a line that cannot be read (line {line})',
  'problem.too_many_columns': 'has too many columns (at most {max})',
  'problem.too_many_columns_in_row':
    'has a value in column {column} on line {line}; we read at most {max} columns',
  'problem.xlsx_too_big':
    'unpacks to more than {mb} MB of data, too large to read. Save it as CSV or split it into several files',
  'problem.xlsx_too_many_strings':
    'holds more distinct texts than we can read (at most {max}). Save it as CSV or split it into several files',
  'problem.xlsx_cell_too_long': 'has a cell of more than {max} characters',
  'problem.mapped_twice': 'is mapped to a field another column already fills',
  'problem.not_found': 'does not exist (any more)',
  'import.rejected.fileSuffix': 'rejected',
  'problem.ambiguous_employee': 'matches more than one employee: use the email address',
  'import.field.name': 'Name',
  'import.field.firstName': 'First name',
  'import.field.infix': 'Name prefix (tussenvoegsel)',
  'import.field.lastName': 'Last name',
  'import.field.salutation': 'Salutation',
  'salutation.mr': 'Dear Mr {surname}',
  'salutation.ms': 'Dear Ms {surname}',
  'import.field.email': 'Email address',
  'import.field.phone': 'Phone',
  'import.field.language': 'Language',
  'import.field.owner': 'Account manager',
  'import.field.account': 'Company (account)',
  'import.field.segment': 'Segment',
  'import.field.location': 'Location',
  'import.field.externalId': 'Customer number (external id)',
  'import.field.consent': 'Consent',
  'import.field.attributes': 'Extra attribute',
  'import.field.ignore': 'Do not import',
  'import.cli.detected':
    'File {filename}: {format}, {encoding}, delimiter {delimiter}, {rows} rows',
  'import.cli.mapping': '  column "{header}" → {target}',
  'import.cli.validated': 'Validated: {valid} valid, {rejected} rejected, of {total} rows',
  'import.cli.error': '  line {line}, {column}: {message} ({value})',
  'import.cli.moreErrors': '  … and {count} more errors',
  'import.cli.completed': 'Imported: {created} new, {updated} updated, {rejected} rejected',
  'import.cli.cancelled': 'Nothing imported (import {id} cancelled).',
  'import.cli.chooseMode':
    'The file has rejected rows. Choose --mode valid_only (only the valid rows) or --mode nothing. Import {id} is waiting for that choice.',
  'import.cli.failed': 'Import failed: {message}',

  // What the command line tells a person (npm start, npm run demo)
  'cli.building':
    'Loyaal first builds the admin app. This happens on the first start only and takes a moment…',
  'cli.built': 'Admin app built in {seconds} seconds.',
  'cli.running': 'Loyaal is running at {url}',
  'cli.stop': 'Stop: Ctrl+C.',
  'cli.demo.ready': 'The demo organisation "{organisation}" is ready ({seconds} s).',
  'cli.demo.counts':
    'Customers: {contacts}, invitations: {invitations}, answers: {responses}, bounced: {bounced}, unsubscribed: {unsubscribed}.',
  'cli.demo.simulated':
    'Sending was simulated: no email was sent, and the demo never sends real email either.',
  'cli.demo.notEmpty':
    'The demo belongs in a database of its own; this one already holds {count} organisation(s). Choose a new one, for example DATABASE_URL=sqlite:./data/demo.db npm run demo.',
  'cli.demo.start': 'Start Loyaal with: {command}',
  'cli.demo.login': 'Then log in at {url} with {email} and password {password}',

  // The organisation's mail server (src/modules/mail-server)
  'error.survey_not_active':
    'This survey is still a draft. Its link and QR code work once you activate it.',
  'error.secret_key_missing':
    'The password cannot be stored safely: the administrator of this installation must set SECRET_KEY first (see the README). You can save the mail server without a password.',
  'problem.logo_svg':
    'is an SVG file, which Gmail and Outlook do not show in email. Upload the logo as PNG or JPEG',
  'problem.logo_type': 'is not a PNG or JPEG image',
  'problem.logo_dimensions':
    'has an unusable size (it must be between 16 and 4,000 pixels wide and high)',
  'problem.logo_too_large': 'is too large (at most {max})',
  'problem.secret_key_missing': 'cannot be stored while SECRET_KEY is not set',
  'problem.invalid_host': 'is not a valid server name (for example smtp.yourprovider.com)',
  'problem.user_only': 'must be a logged-in user, not an API key',
  'preview.sampleFirstName': 'Emma',
  'preview.sampleEmployee': 'Sam',
  'preview.testSubject': '[Test] {subject}',
  'mail.test.subject': 'Test email from Loyaal for {organisation}',
  'mail.test.body':
    "This test email shows that {organisation}'s mail server works: the invitations to your customers travel the same way. There is nothing you need to do.",
  'mail.test.accepted':
    'The mail server accepted the test email for {to}. Check your inbox, and your junk folder to be safe.',
  'mail.reason.no_server':
    'No mail server is set up. The test email is only in Loyaal’s local outbox and was not sent.',
  'mail.reason.password_unreadable':
    'The stored mail server password cannot be read because SECRET_KEY is missing or has changed. Enter the password again.',
  'mail.reason.host_not_found':
    'This server cannot be found. Check the server name, for example smtp.yourprovider.com.',
  'mail.reason.connection_refused':
    'The server refuses the connection. Usually the port is wrong (often 587 with STARTTLS, or 465 with TLS), or a firewall blocks the connection.',
  'mail.reason.timeout':
    'The server did not answer in time. Check the name and the port; a firewall may be blocking the connection.',
  'mail.reason.tls':
    'The secure connection could not be set up. Choose the security that fits the port: TLS on port 465, STARTTLS on port 587.',
  'mail.reason.auth_failed':
    'The server rejected the user name or password. Check both; some providers require a separate app password.',
  'mail.reason.auth_required': 'The server wants you to log in. Enter a user name and password.',
  'mail.reason.sender_rejected':
    'The server refuses to send email from this sender address. Use an address this server may send for, usually one on your own domain.',
  'mail.reason.recipient_rejected': 'The server refuses your email address as a recipient.',
  'mail.reason.relay_denied':
    'The server will not pass mail on to this address for you: it wants you to log in (enter a user name and password), or its policy refuses it. The address itself is not at fault.',
  'mail.reason.message_rejected': 'The server accepted the connection but refused the message.',
  'mail.reason.connection_closed': 'The server closed the connection unexpectedly.',
  'mail.reason.unknown': 'Sending failed.',
  'cases.mail.alert_subject': 'New case: score {score} from {customer}',
  'cases.mail.escalation_subject': 'Not followed up in time: score {score} from {customer}',
  'cases.mail.alert_intro':
    'A customer of {organisation} is unhappy. Please get in touch before the due time.',
  'cases.mail.escalation_intro':
    'Nobody has called or emailed this customer of {organisation} yet, and the due time has passed.',
  'cases.mail.customer': 'Customer',
  'cases.mail.score': 'Score',
  'cases.mail.comment': 'Comment',
  'cases.mail.no_comment': '(no comment)',
  'cases.mail.phone': 'Phone',
  'cases.mail.email': 'Email',
  'cases.mail.may_contact': 'Asked to be contacted',
  'cases.mail.yes': 'yes',
  'cases.mail.no': 'no',
  'cases.mail.due': 'Contact before',
  'cases.mail.owner': 'Owner',
  'cases.mail.unassigned': 'nobody assigned',
  'cases.mail.unknown_customer': 'unknown customer',
  'cases.mail.open_case': 'Open the case',
  'problem.transition_not_allowed': 'cannot go from {from} to {to}',
  'problem.contact_erased': 'cannot be added any more: this customer’s data was erased (GDPR)',
  'problem.already_ambassador': 'is already an ambassador',
  'problem.ambassador_removed': 'cannot change any more: this ambassador was removed',
  'problem.referral_converted': 'cannot change any more: this referral already became a customer',
  'problem.referral_not_converted':
    'cannot be undone: this referral has not become a customer (yet)',
  'problem.reward_not_in_review': 'cannot change any more: this reward is not awaiting review',
  'problem.conversion_cancelled':
    'is not possible any more: this referral’s first visit was cancelled or refunded',
  'problem.unknown_code': 'is unknown',
  'problem.code_empty': 'is empty',
  'problem.code_length': 'has 12 characters, like 7KQ2-M9XD-4TB8',
  'problem.code_character': 'contains a character that never appears in codes',
  'problem.code_check': 'is wrong: a character was copied wrongly',
  'problem.voucher_already_redeemed': 'was already used; do not redeem it again',
  'problem.voucher_expired': 'has expired',
  'problem.voucher_voided': 'is void and cannot be used',
  'problem.voucher_not_yet_issued': 'has not been issued yet',
  'problem.voucher_not_redeemable': 'belongs to a gift, not a voucher: just hand it over',
  'problem.case_closed': 'cannot change any more: the case is closed',
  ...referralsEn,
  ...reviewsEn,
  ...digestEn,
  ...fieldsEn,
  'webhooks.chat.response_created': 'New answer: score {score}',
  'webhooks.chat.response_updated': 'Answer changed: score {score}',
  'webhooks.chat.case_opened': 'New case: score {score}',
  'webhooks.chat.case_updated': 'Case updated (score {score})',
  'webhooks.chat.case_resolved': 'Case closed (score {score})',
  'webhooks.chat.webhook_test': 'Test message from Loyaal',
  'webhooks.chat.ambassador_joined': 'New ambassador',
  'webhooks.chat.referral_created': 'New referral',
  'webhooks.chat.referral_converted': 'Referred friend became a customer',
  'webhooks.chat.reward_issued': 'Reward issued',
  'webhooks.chat.reward_redeemed': 'Reward redeemed',
  'webhooks.chat.category': 'Category',
  'webhooks.chat.status': 'Status',
  'webhooks.chat.priority': 'Priority',
  'webhooks.chat.status.open': 'open',
  'webhooks.chat.status.contacted': 'contacted',
  'webhooks.chat.status.resolved': 'resolved',
  'webhooks.chat.status.unresolvable': 'cannot be resolved',
  'webhooks.chat.status.changed_by_customer': 'changed by the customer',
  'webhooks.chat.priority.low': 'low',
  'webhooks.chat.priority.normal': 'normal',
  'webhooks.chat.priority.high': 'high',
  'webhooks.chat.priority.urgent': 'urgent',
  'problem.webhook_invalid_url': 'is not a valid web address',
  'problem.webhook_scheme': 'must start with https:// or http://',
  'problem.webhook_credentials': 'must not contain a user name or password',
  'problem.webhook_private_address':
    'points to an internal or local address, which is not allowed (see WEBHOOK_ALLOW_PRIVATE)',
  'problem.webhook_metadata_address':
    'points to a cloud platform’s metadata service, which is never allowed',
  'problem.customer_required': 'needs a customer number, email address or phone number',
  'problem.unknown_customer':
    'is not a known customer (not found by customer number, email address or phone number)',
  'problem.ambiguous_customer':
    'has a phone number that more than one customer shares; give the customer number or email address',
  'problem.erased_not_imported':
    'belongs to a customer whose data was erased at their request (GDPR), who is not imported again. If they become a customer again, add them by hand',
  'problem.customer_erased':
    'is a customer whose data was erased (GDPR); no more visits are stored for them',
  'problem.amount_negative':
    'is negative; a negative amount is only allowed for a refund or credit note',
  'problem.amount_precision': 'has more than two decimals',
  'problem.amount_range': 'is implausibly large (more than € 10 million)',
  'problem.amount_invalid': 'is not an amount',
  'problem.amount_convention': "does not match the file's decimal separator",
  'problem.invalid_date': 'is not a date (use e.g. 2026-11-28)',
  'problem.date_invalid': 'is not a date (use e.g. 28-11-2026)',
  'problem.date_in_future': 'is in the future',
  'problem.date_too_old': 'is before 1990',
  'problem.invalid_idempotency_key': 'must be 8 to 200 visible characters',
  'visitSkip.visit_not_completed': 'the visit was cancelled or is a refund',
  'visitSkip.visit_kind': 'this kind of visit does not trigger an invitation',
  'visitSkip.visit_late': 'the visit came in too late to ask about it',
  'visitSkip.trigger_off': 'inviting after a visit was switched off',
  'visitSkip.not_eligible': 'the contact rules allowed no invitation',
  'problem.duplicate_in_batch': 'appears earlier in this batch (position {index})',
};
