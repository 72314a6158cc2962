// Naming rules. Names become parts of Docker object names and hostnames, hence DNS labels.

export const MAX_LAB_NAME_LENGTH = 40;
/** Hosts, containers and overlays. */
export const MAX_NODE_NAME_LENGTH = 30;

const DNS_LABEL = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
/** The same rule as a JSON Schema pattern, for editors (the length is checked apart). */
export const DNS_LABEL_PATTERN = DNS_LABEL.source;

export function isValidName(name: string, maxLength: number): boolean {
  return name.length <= maxLength && DNS_LABEL.test(name);
}

/** What is wrong with `name`, in a few words, or undefined if it follows the rule. */
export function nameFault(name: string, maxLength: number): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > maxLength) return `is ${name.length} characters long, more than the ${maxLength} allowed`;
  if (/[^a-z0-9-]/.test(name)) return "may only contain lowercase letters a-z, digits and '-'";
  if (!/^[a-z]/.test(name)) return 'must start with a letter';
  if (!/[a-z0-9]$/.test(name)) return 'must end with a letter or digit';
  return undefined;
}

/** A valid name close to `raw`, to suggest in messages (and to fill in names in an editor). */
export function suggestName(raw: string, maxLength: number): string {
  let name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '');
  name = name.slice(0, maxLength).replace(/-+$/, '');
  return name.length > 0 ? name : 'x';
}
