// The "lamin_lab" sidebar: instance line, search box, hits, describe details.
// Every string from the database is set with textContent; the describe HTML comes
// escaped from the server and goes through JupyterLab's sanitizer as well.
import { Sanitizer } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import {
  ApiError,
  describePath,
  IDescribeReply,
  IHit,
  ISearchReply,
  IStatusReply,
  requestAPI
} from './api';

/** Milliseconds between the last keystroke and the request. */
const DEBOUNCE_MS = 200;
const PAGE_SIZE = 30;
/** The instance line is re-read on focus of the search box when older than this. */
const STATUS_MAX_AGE_MS = 5000;

export interface ICatalogPanelOptions {
  /** Insert a record's code into the active notebook (or copy it). */
  insertCode: (code: string) => void;
  /** Open a notebook with the Workbench. */
  openWorkbench: () => void;
}

// ln.Artifact.get("<uid>") that may wrap after "(" only, so the uid is never cut.
function codeLine(code: string): HTMLElement {
  const node = el('code', 'jp-LaminLab-code');
  const cut = code.indexOf('(') + 1;
  if (cut > 0 && cut < code.length) {
    node.append(document.createTextNode(code.slice(0, cut)), document.createElement('wbr'));
    node.append(document.createTextNode(code.slice(cut)));
  } else {
    node.textContent = code;
  }
  return titled(node);
}

// The element's own text as its tooltip (for text that an ellipsis may cut).
function titled<T extends HTMLElement>(node: T): T {
  node.title = node.textContent ?? '';
  return node;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export class CatalogPanel extends Widget {
  constructor(options: ICatalogPanelOptions) {
    super();
    this._options = options;
    this.addClass('jp-LaminLab');
    this.node.append(this._buildHeader(), this._buildSearch(), this._message, this._hits,
      this._more, this._details);
    this._hits.setAttribute('role', 'listbox');
    this._hits.setAttribute('aria-label', 'lamin_lab search results');
    this._message.setAttribute('role', 'status');
    this._more.addEventListener('click', () => void this._search(true));
    this._more.hidden = true;
    this._details.hidden = true;
  }

  /** The search box (tests and the "search" command focus it). */
  get input(): HTMLInputElement {
    return this._input;
  }

  /** Re-read the instance status and re-run the current search. */
  refresh(): void {
    void this._loadStatus();
    void this._search(false);
  }

  protected onAfterShow(): void {
    this.refresh();
  }

  protected onActivateRequest(): void {
    this._input.focus();
  }

  dispose(): void {
    window.clearTimeout(this._timer);
    this._searchAbort?.abort();
    this._describeAbort?.abort();
    super.dispose();
  }

  // ------------------------------------------------------------------ building
  private _buildHeader(): HTMLElement {
    const header = el('div', 'jp-LaminLab-header');
    const title = el('div', 'jp-LaminLab-title', 'lamin_lab');
    const workbench = el('button', 'jp-LaminLab-button jp-LaminLab-workbench', 'Workbench');
    workbench.title = 'Open a notebook with the lamin_lab Workbench';
    workbench.addEventListener('click', () => this._options.openWorkbench());
    const refresh = el('button', 'jp-LaminLab-button jp-LaminLab-refresh', '↻');
    refresh.title = 'Refresh';
    refresh.setAttribute('aria-label', 'Refresh');
    refresh.addEventListener('click', () => this.refresh());
    header.append(title, workbench, refresh);
    const wrap = el('div', 'jp-LaminLab-top');
    wrap.append(header, this._instance);
    return wrap;
  }

  private _buildSearch(): HTMLElement {
    const row = el('div', 'jp-LaminLab-searchRow');
    this._input.type = 'search';
    this._input.placeholder = 'Search…';
    this._input.setAttribute('aria-label', 'Search lamin_lab records');
    this._input.addEventListener('input', () => this._schedule());
    // A notebook may have switched the current instance (ln.setup.init/connect) meanwhile.
    this._input.addEventListener('focus', () => {
      if (Date.now() - this._statusAt > STATUS_MAX_AGE_MS) {
        void this._loadStatus();
      }
    });
    this._input.addEventListener('keydown', event => this._onInputKey(event));
    this._registry.setAttribute('aria-label', 'Registry');
    this._registry.append(new Option('All', ''));
    this._registry.title = 'Search all registries or one';
    this._registry.addEventListener('change', () => void this._search(false));
    row.append(this._input, this._registry);
    return row;
  }

  // ------------------------------------------------------------------ status
  private async _loadStatus(): Promise<void> {
    this._statusAt = Date.now();
    try {
      const status = await requestAPI<IStatusReply>('status');
      this._showStatus(status);
    } catch (error) {
      this._instance.textContent = '';
      this._instance.append(el('span', 'jp-LaminLab-error', (error as Error).message));
    }
  }

  private _showStatus(status: IStatusReply): void {
    const { instance, counts } = status;
    this._instance.textContent = '';
    const name = el('span', 'jp-LaminLab-instanceName', instance.name);
    const summary = ['Artifact', 'Collection', 'Transform']
      .filter(r => r in counts)
      .map(r => `${counts[r]} ${r.toLowerCase()}${counts[r] === 1 ? '' : 's'}`)
      .join(' · ');
    this._instance.append(name, el('span', 'jp-LaminLab-counts', summary));
    this._instance.title = `instance ${instance.name} (${instance.dialect})\nstorage ${instance.storage}`;
    if (this._registry.options.length === 1) {
      for (const registry of status.registries) {
        this._registry.append(new Option(registry, registry));
      }
    }
  }

  // ------------------------------------------------------------------ search
  private _schedule(): void {
    // The hits shown are already stale while the debounce waits: grey them from the first key.
    this.node.classList.add('jp-mod-searching');
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => void this._search(false), DEBOUNCE_MS);
  }

  private async _search(more: boolean): Promise<void> {
    window.clearTimeout(this._timer);
    this._searchAbort?.abort();
    const abort = (this._searchAbort = new AbortController());
    const seq = ++this._seq;
    const offset = more ? this._offset : 0;
    const params = { q: this._input.value, registry: this._registry.value, limit: PAGE_SIZE, offset };
    this.node.classList.add('jp-mod-searching');
    let reply: ISearchReply;
    try {
      reply = await requestAPI<ISearchReply>('search', params, abort.signal);
    } catch (error) {
      if (seq === this._seq) {
        this.node.classList.remove('jp-mod-searching');
        if ((error as Error).name === 'AbortError') {
          return;
        }
        this._hits.textContent = '';
        this._more.hidden = true;
        // "No instance set up" is already said in the instance line above.
        const said = error instanceof ApiError && error.status === 409;
        this._showMessage(said ? '' : (error as Error).message, true);
      }
      return;
    }
    if (seq !== this._seq) {
      return; // a newer search was started: this reply is stale
    }
    this.node.classList.remove('jp-mod-searching');
    this._showHits(reply, more);
  }

  private _showHits(reply: ISearchReply, more: boolean): void {
    if (!more) {
      this._hits.textContent = '';
    }
    for (const hit of reply.hits) {
      this._hits.append(this._hitNode(hit));
    }
    this._offset = reply.offset + reply.hits.length;
    this._more.hidden = !reply.has_more;
    const shown = this._hits.childElementCount;
    if (shown === 0) {
      this._showMessage(reply.q ? `No records match “${reply.q}”.` : 'No records yet.', false);
    } else {
      this._showMessage(reply.q ? '' : 'Most recent records', false);
    }
  }

  private _hitNode(hit: IHit): HTMLElement {
    const node = el('li', 'jp-LaminLab-hit');
    node.tabIndex = 0;
    node.setAttribute('role', 'option');
    node.dataset.registry = hit.registry;
    node.dataset.uid = hit.uid;
    const top = el('div', 'jp-LaminLab-hitTop');
    const badge = el('span', 'jp-LaminLab-badge', hit.registry);
    badge.dataset.registry = hit.registry;
    // One line each, cut with an ellipsis (style/base.css): the full text is the tooltip.
    top.append(badge, titled(el('span', 'jp-LaminLab-name', hit.name)));
    if (hit.version) {
      top.append(el('span', 'jp-LaminLab-version', hit.version));
    }
    node.append(top);
    if (hit.description) {
      node.append(titled(el('div', 'jp-LaminLab-desc', hit.description)));
    }
    node.title = `${hit.registry} ${hit.uid}${hit.created_at ? `\ncreated ${hit.created_at}` : ''}`;
    // A refreshed list keeps the record shown in the details selected.
    const shown = this._details;
    const selected = !shown.hidden && shown.dataset.registry === hit.registry && shown.dataset.uid === hit.uid;
    node.classList.toggle('jp-mod-selected', selected);
    node.setAttribute('aria-selected', String(selected));
    node.addEventListener('click', () => void this._select(hit, node));
    node.addEventListener('keydown', event => this._onHitKey(event, hit, node));
    return node;
  }

  private _showMessage(text: string, isError: boolean): void {
    this._message.textContent = text;
    this._message.classList.toggle('jp-LaminLab-error', isError);
    this._message.hidden = !text;
  }

  // ------------------------------------------------------------------ keyboard
  private _onInputKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown') {
      (this._hits.firstElementChild as HTMLElement | null)?.focus();
      event.preventDefault();
    } else if (event.key === 'Enter') {
      void this._search(false);
    }
  }

  private _onHitKey(event: KeyboardEvent, hit: IHit, node: HTMLElement): void {
    if (event.key === 'Enter' || event.key === ' ') {
      void this._select(hit, node);
      event.preventDefault();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = event.key === 'ArrowDown' ? node.nextElementSibling : node.previousElementSibling;
      if (next) {
        (next as HTMLElement).focus();
      } else if (event.key === 'ArrowUp') {
        this._input.focus();
      }
      event.preventDefault();
    }
  }

  // ------------------------------------------------------------------ details
  private async _select(hit: IHit, node: HTMLElement): Promise<void> {
    for (const other of Array.from(this._hits.children)) {
      other.classList.toggle('jp-mod-selected', other === node);
      other.setAttribute('aria-selected', String(other === node));
    }
    this._describeAbort?.abort();
    const abort = (this._describeAbort = new AbortController());
    this._renderDetails(hit, null, 'Loading…');
    try {
      const reply = await requestAPI<IDescribeReply>(describePath(hit.registry, hit.uid), {}, abort.signal);
      if (!abort.signal.aborted) {
        this._renderDetails(reply, reply.html, '');
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError' && !abort.signal.aborted) {
        this._renderDetails(hit, null, (error as Error).message, error instanceof ApiError);
      }
    }
  }

  private _renderDetails(hit: IHit, html: string | null, note: string, isError = false): void {
    const details = this._details;
    details.hidden = false;
    details.textContent = '';
    details.dataset.registry = hit.registry;
    details.dataset.uid = hit.uid;
    const head = el('div', 'jp-LaminLab-detailsHead');
    const badge = el('span', 'jp-LaminLab-badge', hit.registry);
    badge.dataset.registry = hit.registry;
    const close = el('button', 'jp-LaminLab-button jp-LaminLab-close', '×');
    close.title = 'Close details';
    close.setAttribute('aria-label', 'Close details');
    close.addEventListener('click', () => {
      details.hidden = true;
    });
    head.append(badge, titled(el('span', 'jp-LaminLab-name', hit.name)), close);
    const actions = el('div', 'jp-LaminLab-actions');
    const open = el('button', 'jp-LaminLab-button jp-mod-accept jp-LaminLab-open', 'Open in notebook');
    open.title = `Insert ${hit.code} into the active notebook (copies it when no notebook is active)`;
    open.addEventListener('click', () => this._options.insertCode(hit.code));
    actions.append(open, codeLine(hit.code));
    details.append(head, actions);
    if (note) {
      details.append(el('div', isError ? 'jp-LaminLab-error' : 'jp-LaminLab-note', note));
    }
    if (html !== null) {
      const body = el('div', 'jp-LaminLab-describe');
      // Escaped by lamin_lab's describe layer; sanitized again so that markup can never run here.
      body.innerHTML = this._sanitizer.sanitize(html);
      details.append(body);
    }
  }

  private _options: ICatalogPanelOptions;
  private _sanitizer = new Sanitizer();
  private _instance = el('div', 'jp-LaminLab-instance', 'Connecting…');
  private _input = el('input', 'jp-LaminLab-search jp-mod-styled');
  private _registry = el('select', 'jp-LaminLab-registry jp-mod-styled');
  private _message = el('div', 'jp-LaminLab-message');
  private _hits = el('ul', 'jp-LaminLab-hits');
  private _more = el('button', 'jp-LaminLab-button jp-LaminLab-more', 'More results');
  private _details = el('section', 'jp-LaminLab-details');
  private _timer = 0;
  private _statusAt = 0;
  private _seq = 0;
  private _offset = 0;
  private _searchAbort: AbortController | null = null;
  private _describeAbort: AbortController | null = null;
}
