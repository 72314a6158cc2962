// The window's header: documents on the left, history, then the lab's lifecycle.
import type { ReactNode } from 'react';
import type { IconName } from './icons';
import { Icon, Spinner } from './icons';

export interface ToolbarButtonProps {
  icon: IconName;
  label: string;
  /** Shown on hover and focus; a disabled button's reason goes here too. */
  tip?: string;
  /** Read to screen readers as the button's description (why it is disabled). */
  description?: string;
  shortcut?: string;
  disabled?: boolean;
  busy?: boolean;
  variant?: 'primary' | 'danger';
  iconOnly?: boolean;
  onClick(): void;
}

export function ToolbarButton({ icon, label, tip, description, shortcut, disabled, busy, variant, iconOnly, onClick }: ToolbarButtonProps) {
  const tooltip = [tip ?? (iconOnly ? label : undefined), shortcut].filter(Boolean).join(' · ');
  return (
    <span className="tb-item" data-tip={tooltip || undefined}>
      <button
        type="button"
        className={`tb-button${variant ? ` tb-${variant}` : ''}${iconOnly ? ' tb-icon-only' : ''}`}
        onClick={onClick}
        disabled={disabled}
        aria-label={iconOnly ? label : undefined}
        aria-description={description}
        aria-keyshortcuts={shortcut?.replace(/Ctrl/g, 'Control')}
        aria-busy={busy || undefined}
      >
        {busy ? <Spinner /> : <Icon name={icon} />}
        {!iconOnly && <span>{label}</span>}
      </button>
    </span>
  );
}

export function ToolbarGroup({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="tb-group" role="group" aria-label={label}>
      {children}
    </div>
  );
}

export function Brand() {
  return (
    <div className="brand" aria-label="vxlab">
      <span className="brand-mark" aria-hidden="true">
        <Icon name="logo" size={18} />
      </span>
      <span className="brand-name" aria-hidden="true">vxlab</span>
    </div>
  );
}
