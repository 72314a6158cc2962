// The lab file's format, in one place: every field, its type, whether it is required, its
// range and its single-field rules. validate.ts checks files with it (and keeps the rules
// that relate fields to each other); `LabFile` is the TypeScript type of a file as written;
// scripts/lab-schema.ts publishes it as lab-templates/vxlab.schema.json for editors.
//
// Single-field rules report a custom issue whose message is the sentence after the field's
// path ("is \"My Lab\" …") and whose params.problem is the Problem code; validate.ts puts
// the path in front. The `pattern`s in metadata say the same for editors; the checks here
// say what exactly is wrong.

import { z } from 'zod';
import { parseCidr, parseIPv4, formatCidr, specialRangeOf } from './addressing.js';
import { IMAGE_REFERENCE_FORM, MAX_IMAGE_REFERENCE_LENGTH, imageReferenceFault } from './image-reference.js';
import {
  MAX_CONTAINERS,
  MAX_HOSTS,
  MAX_INTERFACES_PER_CONTAINER,
  MAX_OVERLAYS,
} from './limits.js';
import { LAB_FILE_VERSION, MAX_PORT, MAX_VNI } from './model.js';
import type { ProblemCode } from './model.js';
import { DNS_LABEL_PATTERN, MAX_LAB_NAME_LENGTH, MAX_NODE_NAME_LENGTH, nameFault, suggestName } from './names.js';

export const MIN_SUBNET_PREFIX = 8;
export const MAX_SUBNET_PREFIX = 29;
export const MIN_UNDERLAY_MTU = 1280;
export const MAX_MTU = 9000;
export const MIN_OVERLAY_MTU = 576;
export { MAX_PORT };

/** What a custom issue carries besides its message. */
export interface IssueParams {
  problem: ProblemCode;
  /** The value is still usable by the rules between fields (a subnet with host bits set). */
  usable?: boolean;
}

type Context = z.RefinementCtx;

function fail(ctx: Context, problem: ProblemCode, message: string, usable = false): void {
  const params: IssueParams = usable ? { problem, usable } : { problem };
  ctx.addIssue({ code: 'custom', message, params });
}

/** JSON-quoted, and cut short so a huge value cannot make a huge message. */
export function quoteShort(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

// ---- single-field rules -----------------------------------------------------------------------

function name(maxLength: number, description: string, example: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const fault = nameFault(value, maxLength);
      if (fault === undefined) return;
      fail(
        ctx,
        'invalid-name',
        `${quoteShort(value)} ${fault}: use lowercase letters, digits and '-', starting with a letter, ` +
          `at most ${maxLength} characters, for example ${suggestName(value, maxLength)}`,
      );
    })
    .meta({ description, examples: [example], pattern: DNS_LABEL_PATTERN, maxLength });
}

const IPV4_PATTERN = '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';

function ipv4(description: string, example: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (parseIPv4(value) !== undefined) return;
      fail(
        ctx,
        'invalid-ip',
        `is ${quoteShort(value)}, which is not an IPv4 address: write four numbers from 0 to 255 separated by dots, ` +
          'without leading zeros, like 10.0.1.2',
      );
    })
    .meta({ description, examples: [example], pattern: IPV4_PATTERN });
}

function subnet(description: string, example: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const cidr = parseCidr(value);
      if (cidr === undefined) {
        fail(ctx, 'invalid-subnet', `is ${quoteShort(value)}, which is not an IPv4 subnet: write it as address/prefix, for example ${example}`);
        return;
      }
      if (cidr.prefix < MIN_SUBNET_PREFIX || cidr.prefix > MAX_SUBNET_PREFIX) {
        fail(
          ctx,
          'invalid-subnet',
          `is ${value} but the prefix must be from /${MIN_SUBNET_PREFIX} to /${MAX_SUBNET_PREFIX}: ` +
            (cidr.prefix > MAX_SUBNET_PREFIX ? 'a smaller network leaves too few addresses, use a shorter prefix' : 'use a longer prefix'),
        );
        return;
      }
      const special = specialRangeOf(cidr);
      if (special !== undefined) {
        fail(
          ctx,
          'subnet-reserved',
          `${formatCidr(cidr)} lies in ${special.cidr}, the ${special.name}, which cannot be a lab network: ` +
            'choose a private range such as 192.168.1.0/24, 172.16.0.0/16 or 10.0.0.0/16',
        );
        return;
      }
      if (cidr.hostBitsSet) {
        // The intended network is still clear, so the rules between fields go on with it.
        fail(ctx, 'invalid-subnet', `is ${value} but a subnet is written with its network address (host bits zero): write ${formatCidr(cidr)}`, true);
      }
    })
    .meta({ description, examples: [example], pattern: `${IPV4_PATTERN.slice(0, -1)}/([89]|1[0-9]|2[0-9])$` });
}

/** `title` is the short name messages use: "the VNI must be a whole number from 1 to 16777215". */
function wholeNumber(min: number, max: number, title: string, description: string, example: number) {
  return z.number().int().min(min).max(max).meta({ title, description, examples: [example] });
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_DESCRIPTION = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f]/;

/** Text people read in terminals: C0 controls (but, in a description, tab and line feed), DEL and C1 are refused. */
function displayText(multiline: boolean, description: string, example: string) {
  const control = multiline ? CONTROL_IN_DESCRIPTION : CONTROL_IN_LINE;
  return z
    .string()
    .superRefine((value, ctx) => {
      const found = control.exec(value);
      if (found === null) return;
      const code = `U+${(found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      fail(
        ctx,
        'control-character',
        `contains the control character ${code} at position ${found.index + 1}, which would act on the terminal of ` +
          `whoever prints it: remove it${multiline ? ' (line breaks and tabs are fine)' : ''}`,
      );
    })
    .meta({ description, examples: [example], pattern: multiline ? '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$' : '^[^\\u0000-\\u001f\\u007f-\\u009f]*$' });
}

const image = z
  .string()
  .superRefine((value, ctx) => {
    if (value.trim() === '') {
      fail(ctx, 'wrong-type', 'is empty: name an image, or remove the field to use the vxlab node image');
      return;
    }
    const fault = imageReferenceFault(value);
    if (fault === undefined) return;
    fail(ctx, 'invalid-image', `${quoteShort(value)} ${fault}, so it is not a Docker image reference: write ${IMAGE_REFERENCE_FORM}`);
  })
  .meta({
    description: 'a Docker image already on the engine; leave it out for the vxlab node image',
    examples: ['busybox'],
    pattern: '^[^-\\s][^\\s]*$',
    maxLength: MAX_IMAGE_REFERENCE_LENGTH,
  });

// ---- the file --------------------------------------------------------------------------------

export const underlaySchema = z
  .object({
    subnet: subnet('the network the hosts share', '192.168.1.0/24'),
    mtu: wholeNumber(MIN_UNDERLAY_MTU, MAX_MTU, 'MTU', 'the MTU of the underlay network, 1500 when left out', 1500).optional(),
  })
  .meta({ description: 'the network the hosts share', examples: [{ subnet: '192.168.1.0/24' }] });

export const hostSchema = z
  .object({
    name: name(MAX_NODE_NAME_LENGTH, 'a name for the host', 'host-a'),
    ip: ipv4("the host's address on the underlay", '192.168.1.10'),
  })
  .meta({ description: 'a host', examples: [{ name: 'host-a', ip: '192.168.1.10' }] });

export const overlaySchema = z
  .object({
    name: name(MAX_NODE_NAME_LENGTH, 'a name for the overlay', 'blue'),
    vni: wholeNumber(1, MAX_VNI, 'VNI', 'the VXLAN network identifier', 42),
    subnet: subnet("the overlay's own subnet", '10.0.0.0/16'),
    port: wholeNumber(1, MAX_PORT, 'UDP port', 'the UDP port of the tunnels, 4789 when left out', 4789).optional(),
    mtu: wholeNumber(MIN_OVERLAY_MTU, MAX_MTU, 'MTU', "the overlay's MTU, the underlay's minus 50 when left out", 1450).optional(),
  })
  .meta({ description: 'an overlay', examples: [{ name: 'blue', vni: 42, subnet: '10.0.0.0/16' }] });

export const interfaceSchema = z
  .object({
    overlay: z.string().meta({ description: 'the name of the overlay it joins', examples: ['blue'] }),
    ip: ipv4("the interface's address in the overlay subnet", '10.0.1.2'),
  })
  .meta({ description: 'an interface', examples: [{ overlay: 'blue', ip: '10.0.1.2' }] });

export const containerSchema = z
  .object({
    name: name(MAX_NODE_NAME_LENGTH, 'a name for the container', 'container1'),
    host: z.string().meta({ description: 'the name of the host it runs on', examples: ['host-a'] }),
    image: image.optional(),
    interfaces: z
      .array(interfaceSchema)
      .max(MAX_INTERFACES_PER_CONTAINER)
      .meta({ description: 'interfaces', examples: [[{ overlay: 'blue', ip: '10.0.1.2' }]] })
      .optional(),
  })
  .meta({ description: 'a container', examples: [{ name: 'container1', host: 'host-a', interfaces: [] }] });

export const labFileSchema = z
  .object({
    version: z.literal(LAB_FILE_VERSION).meta({ description: 'the version of the lab file format', examples: [LAB_FILE_VERSION] }),
    name: name(MAX_LAB_NAME_LENGTH, 'the lab name; it prefixes every Docker object of the lab', 'vxlan-basics'),
    title: displayText(false, 'a one-line title', 'Containers on two hosts over VXLAN').optional(),
    description: displayText(true, 'what the lab shows', 'container1 pings container2 across a VXLAN tunnel').optional(),
    underlay: underlaySchema,
    hosts: z
      .array(hostSchema)
      .min(1)
      .max(MAX_HOSTS)
      .meta({ description: 'at least one host', examples: [[{ name: 'host-a', ip: '192.168.1.10' }]] }),
    overlays: z
      .array(overlaySchema)
      .max(MAX_OVERLAYS)
      .meta({ description: 'overlays', examples: [[{ name: 'blue', vni: 42, subnet: '10.0.0.0/16' }]] })
      .optional(),
    containers: z
      .array(containerSchema)
      .max(MAX_CONTAINERS)
      .meta({ description: 'containers', examples: [[{ name: 'container1', host: 'host-a', interfaces: [] }]] })
      .optional(),
    layout: z
      .record(z.string(), z.unknown())
      .meta({ description: 'editor positions, kept on save; remove it and vxlab lays the lab out again', examples: [{}] })
      .optional(),
  })
  .meta({
    title: 'vxlab lab file',
    description: 'A vxlab lab: hosts on an underlay network, joined by VXLAN overlays, with containers on them.',
  });

/** A lab file as written: optional fields may be missing; nothing is checked yet by the types. */
export type LabFile = z.input<typeof labFileSchema>;

/**
 * The lab file format as JSON Schema (draft-07, which yaml-language-server and VS Code read),
 * for lab-templates/vxlab.schema.json. Rules between fields are not in it; `vxlab validate` has them.
 */
export function labJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(labFileSchema, { target: 'draft-07', io: 'input' });
}
