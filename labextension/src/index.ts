// lamin_lab in JupyterLab: the catalog sidebar and the commands around it.
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { LabIcon } from '@jupyterlab/ui-components';

import { CatalogPanel } from './panel';

/** The sidebar's id (its tab is `.lm-TabBar-tab[data-id="lamin-lab:catalog"]`). */
export const PANEL_ID = 'lamin-lab:catalog';

export namespace CommandIDs {
  export const openWorkbench = 'lamin-lab:open-workbench';
  export const insertCode = 'lamin-lab:insert-code';
  export const search = 'lamin-lab:search';
}

const WORKBENCH_CELLS = ['import lamin_lab as ln', 'ln.widgets.Workbench()'];

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">
  <g class="jp-icon3" fill="#616161">
    <path d="M3 2h2v10h6v2H3z"/>
    <circle cx="11.5" cy="5.5" r="2.5"/>
  </g>
</svg>`;

export const laminIcon = new LabIcon({ name: 'lamin-lab:icon', svgstr: ICON_SVG });

/** Insert `code` as a new cell below the active one of the notebook in focus, or copy it. */
function insertCode(app: JupyterFrontEnd, tracker: INotebookTracker, code: string): string {
  const current = app.shell.currentWidget;
  const panel = current && tracker.has(current) ? (current as NotebookPanel) : null;
  const model = panel?.content.model;
  if (!panel || !model) {
    Clipboard.copyToSystem(code);
    Notification.info(`Copied ${code} — no notebook is active to insert it into.`, { autoClose: 4000 });
    return 'copied';
  }
  const notebook = panel.content;
  const index = model.sharedModel.cells.length ? notebook.activeCellIndex + 1 : 0;
  model.sharedModel.insertCell(index, { cell_type: 'code', source: code });
  notebook.activeCellIndex = index;
  notebook.mode = 'command';
  app.shell.activateById(panel.id);
  return 'inserted';
}

/** Notebook metadata key: run all cells once when the notebook opens (then removed). */
export const RUN_ON_OPEN = 'lamin_lab_run_on_open';

/** The nbformat JSON of a Workbench notebook for kernel `kernelName`. */
function workbenchNotebook(kernelName: string): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernelName, display_name: kernelName }, [RUN_ON_OPEN]: true },
    cells: WORKBENCH_CELLS.map((source, i) => ({
      id: `lamin-lab-workbench-${i}`, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null
    }))
  };
}

/**
 * A new notebook file with the Workbench cells, opened where the app opens documents.
 *
 * The file is written before it opens, so it is never an empty Untitled.ipynb: JupyterLab
 * opens it in a tab of this window, Notebook 7 in a new browser tab; the copy of this
 * extension that shows it runs its cells (see `runIfAsked`).
 */
async function openWorkbench(app: JupyterFrontEnd): Promise<void> {
  // The default kernel (no "select kernel" dialog); lamin_lab must be importable there.
  await app.serviceManager.kernelspecs.ready;
  const kernelName = app.serviceManager.kernelspecs.specs?.default ?? 'python3';
  const contents = app.serviceManager.contents;
  const file = await contents.newUntitled({ type: 'notebook', path: '' });
  await contents.save(file.path, { type: 'notebook', format: 'json', content: workbenchNotebook(kernelName) });
  if (app.name === 'Jupyter Notebook') {
    // Notebook 7 shows each document in its own browser tab. Opening it here as well would
    // start its kernel session in this tab, whose widget comms the new tab never sees.
    window.open(URLExt.join(PageConfig.getBaseUrl(), 'notebooks', URLExt.encodeParts(file.path)), '_blank');
    return;
  }
  await app.commands.execute('docmanager:open', { path: file.path, factory: 'Notebook', kernel: { name: kernelName } });
}

/** Run a notebook's cells once when it asks for it in its metadata, then forget the request. */
async function runIfAsked(panel: NotebookPanel): Promise<void> {
  await panel.context.ready;
  const model = panel.content.model;
  if (!model || !model.getMetadata(RUN_ON_OPEN)) {
    return;
  }
  model.deleteMetadata(RUN_ON_OPEN);
  await panel.sessionContext.ready;
  if (panel.sessionContext.session?.kernel) {
    await NotebookActions.runAll(panel.content, panel.sessionContext);
  }
  await panel.context.save();
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'lamin-lab:plugin',
  description: 'lamin_lab catalog sidebar: search, describe, insert records into notebooks.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ) => {
    const { commands } = app;
    const panel = new CatalogPanel({
      insertCode: code => void commands.execute(CommandIDs.insertCode, { code }),
      openWorkbench: () => void commands.execute(CommandIDs.openWorkbench)
    });
    panel.id = PANEL_ID;
    panel.title.icon = laminIcon;
    panel.title.caption = 'lamin_lab catalog';
    app.shell.add(panel, 'left', { rank: 650 });
    restorer?.add(panel, PANEL_ID);

    tracker.widgetAdded.connect((_, notebook) => void runIfAsked(notebook));
    commands.addCommand(CommandIDs.openWorkbench, {
      label: 'lamin_lab: Open Workbench',
      caption: 'Open a new notebook with the lamin_lab Workbench',
      icon: laminIcon,
      execute: () => openWorkbench(app)
    });
    commands.addCommand(CommandIDs.insertCode, {
      label: 'lamin_lab: Insert Record Into Notebook',
      isVisible: args => typeof args.code === 'string',
      execute: args => insertCode(app, tracker, String(args.code ?? ''))
    });
    commands.addCommand(CommandIDs.search, {
      label: 'lamin_lab: Search Catalog',
      execute: () => {
        app.shell.activateById(PANEL_ID);
        panel.input.focus();
        panel.input.select();
      }
    });
    for (const command of [CommandIDs.openWorkbench, CommandIDs.search]) {
      palette?.addItem({ command, category: 'lamin_lab' });
    }
  }
};

export default plugin;
