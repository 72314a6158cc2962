// Docker image references, after the grammar of distribution/reference:
//   [registry[:port]/]path[:tag][@sha256:<64 hex>]
// Anything else (an option such as --privileged, a path with '..', spaces, a query string)
// is refused, so an image can never be read as an option by a script or smuggled into an API path.

/** A whole reference is at most this long (name 255, tag 128, digest 71, separators). */
export const MAX_IMAGE_REFERENCE_LENGTH = 460;
const MAX_NAME_LENGTH = 255;

/** Lowercase letters and digits, joined by '.', '_', '__' or runs of '-'. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A DNS name or IPv4 address: letters, digits and inner '-', joined by '.'. */
const DOMAIN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const PORT = /^[1-9][0-9]{0,4}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export const IMAGE_REFERENCE_FORM =
  '[registry[:port]/]name[:tag][@sha256:<64 hex digits>] with a lowercase name, ' +
  'for example busybox, alpine:3.20 or registry.example.com:5000/team/tools:1.2.3';

/** What is wrong with `text` as an image reference, in a few words, or undefined if it is one. */
export function imageReferenceFault(text: string): string | undefined {
  if (text.length === 0) return 'is empty';
  if (text.length > MAX_IMAGE_REFERENCE_LENGTH) return `is ${text.length} characters long, more than the ${MAX_IMAGE_REFERENCE_LENGTH} allowed`;
  if (/\s/.test(text)) return 'contains a space';
  if (text.startsWith('-')) return "starts with '-', which would be read as an option";

  let rest = text;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return "has a digest that is not sha256: followed by 64 lowercase hex digits";
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    if (!TAG.test(rest.slice(colon + 1))) return "has a tag that is not letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-')";
    rest = rest.slice(0, colon);
  }
  if (rest.length === 0) return 'has no image name';
  if (rest.length > MAX_NAME_LENGTH) return `has a name longer than ${MAX_NAME_LENGTH} characters`;

  const components = rest.split('/');
  const first = components[0] ?? '';
  // As Docker reads it: the first part is a registry when it has '.' or ':' or is localhost.
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const [host = '', port, ...more] = first.split(':');
    if (more.length > 0 || !DOMAIN.test(host)) return `has a registry ${JSON.stringify(first)} that is not a host name with an optional :port`;
    if (port !== undefined && (!PORT.test(port) || Number(port) > 65_535)) return `has a registry port ${JSON.stringify(port)} that is not a number from 1 to 65535`;
    components.shift();
  }
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      return `has a path part ${JSON.stringify(component)} that is not lowercase letters and digits joined by '.', '_' or '-'`;
    }
  }
  return undefined;
}

export function isImageReference(text: string): boolean {
  return imageReferenceFault(text) === undefined;
}
