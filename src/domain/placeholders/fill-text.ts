/**
 * Fills `{organisation}`, `{employee}` and `{firstName}`. Without a first name the placeholder
 * goes, and so does the space or comma it leaves behind ("{firstName}, wat vindt u…" → "Wat vindt
 * u…"), so a text written for a named customer still reads well for an anonymous one.
 */
export function fillText(
  template: string,
  values: { organisation: string; employee?: string | null; firstName?: string | null },
): string {
  const first = values.firstName?.trim() ?? '';
  const filled: Record<string, string> = {
    organisation: values.organisation,
    employee: values.employee ?? values.organisation,
    firstName: first,
  };
  // One pass with a replacer function over the text itself: a name is text, never a pattern
  // ("Cash $& Carry", "Jan$'"), and a value is never searched for a placeholder.
  return (first ? template : withoutFirstName(template)).replace(
    /\{(organisation|employee|firstName)\}/g,
    (_m, name: string) => filled[name] ?? '',
  );
}

/** The text without `{firstName}` and the space or punctuation it leaves behind, capitalised. */
function withoutFirstName(template: string): string {
  const text = template
    .replace(/\s*\{firstName\}\s*([,!.?:;])?/g, (_m, p: string | undefined) => (p ? `${p} ` : ' '))
    .replace(/^[\s,!.?:;]+/, '')
    .replace(/\s+([,!.?:;])/g, '$1')
    .replace(/([,!.?:;])\1+/g, '$1')
    .replace(/ {2,}/g, ' ')
    .trim();
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
