// The published JSON Schema's text and where lab files point at it, shared by the script
// that writes lab-templates/vxlab.schema.json and the test that keeps it current.

import { labJsonSchema } from './schema.js';

export const SCHEMA_FILE_NAME = 'vxlab.schema.json';
/** First line of every template: yaml-language-server (VS Code's YAML extension) reads it. */
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=./${SCHEMA_FILE_NAME}`;

export function labJsonSchemaText(): string {
  return `${JSON.stringify(labJsonSchema(), null, 2)}\n`;
}
