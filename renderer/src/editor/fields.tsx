// Labelled inputs of the property panel. Each shows the problems found at its path
// (the same paths `vxlab validate` prints) and carries that path, so a click in the
// problem list can put the cursor in it.
import { memo, useEffect, useId, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { Problem } from '../../../electron/lab/model';
import { MAX_NODE_NAME_LENGTH, nameFault } from '../../../electron/lab/names';
import { messageAtElement } from './problem-text';

/** What a value of the file looks like in a text box. */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Text typed into a number field: a whole number when it is one, else the text for validation to report. */
export function numberOrText(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : raw;
}

function FieldProblems({ id, problems }: { id: string; problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="vx-field-problems" id={id}>
      {problems.map((problem, index) => (
        <li key={index}>{messageAtElement(problem)}</li>
      ))}
    </ul>
  );
}

interface FieldFrameProps {
  id: string;
  label: string;
  problems: readonly Problem[];
  hint?: ReactNode;
  children: ReactNode;
}

function FieldFrame({ id, label, problems, hint, children }: FieldFrameProps) {
  return (
    <div className={`vx-field${problems.length > 0 ? ' has-problem' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && <div className="vx-field-hint">{hint}</div>}
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

export interface TextFieldProps {
  label: string;
  path: string;
  value: unknown;
  problems: readonly Problem[];
  /** Called on every keystroke: validation runs live. */
  onChange(raw: string): void;
  placeholder?: string;
  multiline?: boolean;
  numeric?: boolean;
  hint?: ReactNode;
}

export const TextField = memo(function TextField({ label, path, value, problems, onChange, placeholder, multiline, numeric, hint }: TextFieldProps) {
  const id = useId();
  const common = {
    id,
    value: displayValue(value),
    placeholder,
    'data-path': path,
    'aria-invalid': problems.length > 0 || undefined,
    'aria-describedby': problems.length > 0 ? `${id}-problems` : undefined,
    spellCheck: false,
  };
  return (
    <FieldFrame id={id} label={label} problems={problems} hint={hint}>
      {multiline ? (
        <textarea {...common} rows={4} spellCheck onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={numeric ? 'numeric' : undefined} autoComplete="off" onChange={(event) => onChange(event.target.value)} />
      )}
    </FieldFrame>
  );
});

export interface NameFieldProps {
  label: string;
  path: string;
  value: string;
  problems: readonly Problem[];
  /** Whether another element already has this name (then the rename is refused). */
  isTaken(name: string): boolean;
  /** Called on Enter or when the field loses focus, since a rename also rewrites references. */
  onCommit(name: string): void;
  maxLength?: number;
}

export const NameField = memo(function NameField({ label, path, value, problems, isTaken, onCommit, maxLength = MAX_NODE_NAME_LENGTH }: NameFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const taken = draft !== value && isTaken(draft);
  const fault = draft === value ? undefined : nameFault(draft, maxLength);
  const commit = () => {
    if (draft === value || taken) return;
    onCommit(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    if (event.key === 'Escape') setDraft(value);
  };
  const hint = taken ? `${draft} is already taken: pick another name.` : fault ? `This name ${fault}.` : 'Press Enter to rename; references follow.';
  return (
    <FieldFrame id={id} label={label} problems={problems} hint={<span className={taken || fault ? 'vx-warning' : undefined}>{hint}</span>}>
      <input
        id={id}
        type="text"
        value={draft}
        data-path={path}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problems.length > 0 || taken || undefined}
        aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
    </FieldFrame>
  );
});

export interface SelectFieldProps {
  label: string;
  path: string;
  value: string;
  options: readonly string[];
  problems: readonly Problem[];
  onChange(value: string): void;
}

export const SelectField = memo(function SelectField({ label, path, value, options, problems, onChange }: SelectFieldProps) {
  const id = useId();
  const all = options.includes(value) ? options : [value, ...options];
  return (
    <FieldFrame id={id} label={label} problems={problems}>
      <select
        id={id}
        value={value}
        data-path={path}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {all.map((option) => (
          <option key={option} value={option}>
            {option === '' ? '(none)' : options.includes(option) ? option : `${option} (unknown)`}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
});
