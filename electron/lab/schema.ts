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
  MAX_CHECK_RETRIES,
  MAX_CHECK_TIMEOUT_SECONDS,
  MAX_CHECKS_PER_STEP,
  MAX_COMMAND_LENGTH,
  MAX_COMMANDS_PER_STEP,
  MAX_CONTAINERS,
  MAX_EXPLANATION_LENGTH,
  MAX_HOSTS,
  MAX_INTERFACES_PER_CONTAINER,
  MAX_MESSAGE_LENGTH,
  MAX_OBJECTIVE_STEPS,
  MAX_OVERLAYS,
  MAX_PATTERN_LENGTH,
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
function displayText(multiline: boolean, description: string, example: string, maxLength?: number) {
  const control = multiline ? CONTROL_IN_DESCRIPTION : CONTROL_IN_LINE;
  return z
    .string()
    .superRefine((value, ctx) => {
      if (maxLength !== undefined && value.length > maxLength) {
        fail(ctx, 'limit-exceeded', `is ${value.length} characters long, more than the ${maxLength} allowed: shorten it`);
        return;
      }
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
    .meta({
      description,
      examples: [example],
      pattern: multiline ? '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$' : '^[^\\u0000-\\u001f\\u007f-\\u009f]*$',
      ...(maxLength === undefined ? {} : { maxLength }),
    });
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

// ---- objectives (issue 8 §1) -----------------------------------------------------------------
// Which fields a check needs depends on its kind; validate.ts checks that (and the node names),
// so each field here is optional and keeps its own message.

export const CHECK_KINDS = ['reach', 'mtu', 'command', 'state'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
export const CHECK_EXPECTATIONS = ['pass', 'fail'] as const;
/** The largest IPv4 header plus ICMP header: a DF ping's size counts them. */
export const MIN_MTU_PROBE_SIZE = 68;

function oneOf<T extends string>(choices: readonly T[], description: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if ((choices as readonly string[]).includes(value)) return;
      fail(ctx, 'wrong-type', `is ${quoteShort(value)}, which is not one of ${choices.join(', ')}: write one of them`);
    })
    .meta({ description, examples: [choices[0]], pattern: `^(${choices.join('|')})$` });
}

/** A node's or host's name, or an IPv4 address; validate.ts checks that the name exists. */
const nodeOrAddress = z.string().meta({ description: 'a node name or an IPv4 address', examples: ['container2'] });
const nodeReference = (description: string, example: string) => z.string().meta({ description, examples: [example] });

const command = displayText(false, 'a shell command (sh -c) run in the node', 'ip link set eth1 mtu 1500', MAX_COMMAND_LENGTH);

export const nodeCommandSchema = z
  .object({
    node: nodeReference('the host or container the command runs in', 'container1'),
    run: command,
  })
  .meta({ description: 'a command on a node', examples: [{ node: 'container1', run: 'ip link set eth1 mtu 1500' }] });

const commandList = (description: string) =>
  z
    .array(nodeCommandSchema)
    .max(MAX_COMMANDS_PER_STEP)
    .meta({ description, examples: [[{ node: 'container1', run: 'ip link set eth1 mtu 1500' }]] })
    .optional();

export const checkSchema = z
  .object({
    kind: oneOf(CHECK_KINDS, 'what the check looks at: reach, mtu, command or state'),
    expect: oneOf(CHECK_EXPECTATIONS, 'pass when the probe should succeed (or the entry exist), fail when it should not; pass when left out').optional(),
    from: nodeReference('reach, mtu: the node the ping starts from', 'container1').optional(),
    to: nodeOrAddress.optional(),
    size: wholeNumber(MIN_MTU_PROBE_SIZE, MAX_MTU, 'size', 'mtu: the whole IPv4 packet size of the DF ping, headers included', 1400).optional(),
    node: nodeReference('command: the node the command runs in', 'container1').optional(),
    run: command.optional(),
    match: displayText(false, 'command: a regular expression the output must match', 'state UP', MAX_PATTERN_LENGTH).optional(),
    host: nodeReference("state: the host whose VTEP tables are read", 'host-a').optional(),
    vni: wholeNumber(1, MAX_VNI, 'VNI', 'state: a VXLAN device with this VNI', 42).optional(),
    device: nodeReference('state, with vni: the name that VXLAN device must have', 'vxlan42').optional(),
    port: wholeNumber(1, MAX_PORT, 'UDP port', 'state, with vni: the UDP port that VXLAN device must use', 4789).optional(),
    flood: nodeOrAddress.meta({ description: 'state: a flood entry to this VTEP (host name or underlay IPv4)', examples: ['host-b'] }).optional(),
    mac: nodeReference('state: a MAC learned from this container', 'container2').optional(),
    timeout: wholeNumber(1, MAX_CHECK_TIMEOUT_SECONDS, 'timeout', 'seconds one try may take, 5 when left out', 5).optional(),
    retries: wholeNumber(0, MAX_CHECK_RETRIES, 'retries', 'tries after a failed one, a second apart, 0 when left out', 2).optional(),
    pass: displayText(false, 'what the learner reads when the check passes', 'container1 reaches container2', MAX_MESSAGE_LENGTH).optional(),
    fail: displayText(false, 'what the learner reads when it fails', 'No reply yet: is the tunnel up?', MAX_MESSAGE_LENGTH).optional(),
  })
  .meta({ description: 'a check', examples: [{ kind: 'reach', from: 'container1', to: 'container2' }] });

export const objectiveSchema = z
  .object({
    title: displayText(false, "the step's title", 'Ping across the tunnel', MAX_MESSAGE_LENGTH),
    explanation: displayText(true, 'what to do and why, in Markdown, in any language', 'Ping container2 from container1.', MAX_EXPLANATION_LENGTH).optional(),
    setup: commandList('commands run when the step starts'),
    solution: commandList('commands that complete the step (`vxlab solve`)'),
    checks: z
      .array(checkSchema)
      .min(1)
      .max(MAX_CHECKS_PER_STEP)
      .meta({ description: 'what shows the step is done', examples: [[{ kind: 'reach', from: 'container1', to: 'container2' }]] }),
  })
  .meta({ description: 'a step', examples: [{ title: 'Ping across the tunnel', checks: [] }] });

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
    objectives: z
      .array(objectiveSchema)
      .max(MAX_OBJECTIVE_STEPS)
      .meta({ description: 'ordered steps for the learner, each with checks', examples: [[{ title: 'Ping across the tunnel', checks: [] }]] })
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
