/**
 * Message formats that chat tools accept on their incoming webhooks, for endpoints that post into
 * a channel instead of a program: a Slack incoming webhook takes `{ text }` (mrkdwn), a Microsoft
 * Teams Workflows webhook ("Post to a channel when a webhook request is received") takes a message
 * with an Adaptive Card attachment. Texts come in already translated; this only shapes them.
 */
export type ChatMessage = Readonly<{
  title: string;
  facts: ReadonlyArray<readonly [string, string]>;
  link: Readonly<{ label: string; url: string }> | null;
}>;

export function slackMessage(m: ChatMessage): { text: string } {
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines = [`*${escape(m.title)}*`, ...m.facts.map(([k, v]) => `${escape(k)}: ${escape(v)}`)];
  if (m.link) lines.push(`<${m.link.url}|${escape(m.link.label)}>`);
  return { text: lines.join('\n') };
}

export function teamsMessage(m: ChatMessage): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: m.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'FactSet', facts: m.facts.map(([title, value]) => ({ title, value })) },
          ],
          ...(m.link
            ? { actions: [{ type: 'Action.OpenUrl', title: m.link.label, url: m.link.url }] }
            : {}),
        },
      },
    ],
  };
}
