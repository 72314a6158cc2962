// The start screen: a new lab, a file, a template, or a lab opened recently.
import type { ApiError, TemplateInfo } from '../../../electron/api/contract';
import { ErrorNotice } from './ErrorNotice';
import { Icon } from './icons';
import type { RecentLab } from './recent';
import { describeLabText, formatWhen } from './recent';

export interface GalleryProps {
  templates?: TemplateInfo[];
  templatesError?: ApiError;
  recent: RecentLab[];
  /** The document already open, when the gallery was reached with Home. */
  current?: { name: string; dirty: boolean };
  onNew(): void;
  onOpenFile(): void;
  onOpenTemplate(template: TemplateInfo): void;
  onOpenRecent(entry: RecentLab): void;
  onRemoveRecent(name: string): void;
  onResume(): void;
}

export function Gallery(props: GalleryProps) {
  const { templates, templatesError, recent, current } = props;
  return (
    <main className="gallery" aria-label="Start">
      <div className="gallery-inner">
        <section className="gallery-hero">
          <h1>Container overlay networking, on one machine</h1>
          <p>
            Hosts are Docker engines joined by real kernel VXLAN tunnels. Draw a lab, launch it in seconds, and open a shell on any host or container.
          </p>
        </section>

        <section className="gallery-section" aria-labelledby="start-heading">
          <h2 id="start-heading">Start</h2>
          <div className="start-actions">
            <button type="button" className="start-card" onClick={props.onNew}>
              <span className="start-card-icon"><Icon name="newFile" size={20} /></span>
              <span className="start-card-text">
                <span className="start-card-title">New lab</span>
                <span className="start-card-desc">One host on 192.168.10.0/24, ready for overlays and containers</span>
              </span>
            </button>
            <button type="button" className="start-card" onClick={props.onOpenFile}>
              <span className="start-card-icon"><Icon name="open" size={20} /></span>
              <span className="start-card-text">
                <span className="start-card-title">Open file…</span>
                <span className="start-card-desc">A lab file (.yaml) from this computer <kbd>Ctrl+O</kbd></span>
              </span>
            </button>
            {current && (
              <button type="button" className="start-card start-card-current" onClick={props.onResume}>
                <span className="start-card-icon"><Icon name="network" size={20} /></span>
                <span className="start-card-text">
                  <span className="start-card-title">Back to {current.name || 'the open lab'}</span>
                  <span className="start-card-desc">{current.dirty ? 'Open in the editor, with unsaved changes' : 'Open in the editor'}</span>
                </span>
              </button>
            )}
          </div>
        </section>

        <section className="gallery-section" aria-labelledby="templates-heading">
          <h2 id="templates-heading">Templates</h2>
          {templatesError && <ErrorNotice title="The templates could not be read" error={templatesError} />}
          {!templates && !templatesError && (
            <div className="template-grid" aria-busy="true" aria-label="Loading templates">
              {[0, 1, 2].map((i) => <div key={i} className="template-card template-card-skeleton" />)}
            </div>
          )}
          {templates && templates.length === 0 && <p className="empty-text">No templates were found in lab-templates/.</p>}
          {templates && templates.length > 0 && (
            <ul className="template-grid" aria-label="Templates">
              {templates.map((template) => (
                <li key={template.file}>
                  <TemplateCard template={template} onOpen={() => props.onOpenTemplate(template)} />
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="gallery-section" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent</h2>
          {recent.length === 0 ? (
            <p className="empty-text">Labs you open, save or launch appear here.</p>
          ) : (
            <ul className="recent-list" aria-label="Recent labs">
              {recent.map((entry) => (
                <li key={entry.name} className="recent-item">
                  <button type="button" className="recent-open" onClick={() => props.onOpenRecent(entry)} aria-label={`Open ${entry.name}${entry.title ? `: ${entry.title}` : ''}`}>
                    <Icon name="network" className="recent-icon" />
                    <span className="recent-name">{entry.name}</span>
                    <span className="recent-title">{entry.title}</span>
                    <span className="recent-when">
                      <time dateTime={new Date(entry.when).toISOString()}>{formatWhen(entry.when)}</time>
                    </span>
                  </button>
                  <button type="button" className="icon-button recent-remove" aria-label={`Remove ${entry.name} from Recent`} onClick={() => props.onRemoveRecent(entry.name)}>
                    <Icon name="close" size={14} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  );
}

function TemplateCard({ template, onOpen }: { template: TemplateInfo; onOpen(): void }) {
  const facts = describeLabText(template.text);
  const id = `template-${template.name}`;
  return (
    <button type="button" className="template-card" onClick={onOpen} aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <span className="template-card-head">
        <span className="template-card-icon"><Icon name="network" size={18} /></span>
        <span id={`${id}-title`} className="template-card-title">{template.title || template.name}</span>
      </span>
      <span id={`${id}-desc`} className="template-card-desc">{template.description}</span>
      <span className="template-card-meta">
        <span className="chip chip-mono">{template.name}</span>
        {facts.hosts !== undefined && <span className="chip"><Icon name="server" size={12} />{plural(facts.hosts, 'host')}</span>}
        {facts.containers !== undefined && <span className="chip"><Icon name="box" size={12} />{plural(facts.containers, 'container')}</span>}
        {facts.vnis && facts.vnis.length > 0 && <span className="chip">VNI {facts.vnis.join(', ')}</span>}
      </span>
    </button>
  );
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
