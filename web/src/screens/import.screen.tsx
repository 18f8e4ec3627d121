export function ImportScreen(_props: { id: string | null }) {
  return null;
}
