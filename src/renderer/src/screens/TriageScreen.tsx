import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Facets, ProjectSummary } from '../../../shared/domain';
import type { StrategyName } from '../../../shared/strategies';
import { call, subscribe } from '../api/client';
import { isBrowserMode } from '../api/transport';
import { formatCount, plural } from '../app/format';
import type { ViewState } from '../app/usePersistedViewState';
import type { ToastFn } from '../app/useToasts';
import { BulkDialog, type BulkChoice } from '../components/BulkDialog';
import { DetailPane } from '../components/DetailPane';
import { ExampleGrid, sqlSort } from '../components/ExampleGrid';
import { FilterBar } from '../components/FilterBar';
import { LabelPicker } from '../components/LabelPicker';
import { NoteDialog } from '../components/NoteDialog';
import { useExampleDetail } from '../triage/useExampleDetail';
import { useTriage } from '../triage/useTriage';

interface Props {
  project: ProjectSummary;
  facets: Facets;
  /** The view with the run on show resolved (see pickShownRun). */
  view: ViewState & { run: number | null };
  /** The strategies the run on show ran: the only ones the strategy filter offers. */
  runStrategies: readonly StrategyName[];
  updateView: (change: Partial<ViewState>) => void;
  dataVersion: number;
  dark: boolean;
  /** False while something covers the grid (a dialog, the help): the triage keys rest. */
  active: boolean;
  toast: ToastFn;
  /** This machine's annotator (the grid's "assigned to me"). */
  annotator: string;
}

/**
 * The triage screen: filters, counts, the grid with its decisions, the detail pane, and the
 * overlays the keys open (label picker, note, bulk action). Mounted once per project, so no
 * selection or cursor outlives the project it belongs to.
 */
export function TriageScreen({ project, facets, view, runStrategies, updateView, dataVersion, dark, active, toast, annotator }: Props) {
  const { run, filter, sort } = view;
  const [counts, setCounts] = useState<{ total: number; decided: number } | null>(null);
  const [detailOpen, setDetailOpen] = useState(true);
  const orderSql = useMemo(() => sqlSort(sort), [sort]);

  // Counts are read for the list on screen when they arrive: a recount asked for by writes that
  // settle after the filter changed must not show the old filter's numbers.
  const list = useRef({ run, filter });
  list.current = { run, filter };
  const recount = useCallback(() => {
    const asked = list.current;
    call('examples:query', { run: asked.run ?? undefined, filter: asked.filter, sort: [], limit: 1 }).then(
      (page) => list.current === asked && setCounts({ total: page.total, decided: page.decided }),
      () => undefined,
    );
  }, []);

  const triage = useTriage({
    run,
    filter,
    sort: orderSql,
    enabled: active,
    toast,
    resumeFrom: view.focused,
    onCursor: useCallback((focused: { id: string; index: number }) => updateView({ focused }), [updateView]),
    onDecidedDelta: useCallback((delta: number) => setCounts((c) => c && { ...c, decided: c.decided + delta }), []),
    // A refetch while writes were in flight can show too few decided: recount once they land.
    onWritesSettled: recount,
  });
  // Fetched even with the pane hidden: the note dialog starts from the example's note.
  const detail = useExampleDetail(triage.current?.id ?? null, run, triage.version, triage.upcoming);

  // The desktop menu's undo and redo act here.
  useEffect(
    () =>
      subscribe('menu:command', ({ command }) => {
        if (command === 'undo' || command === 'redo') void triage.undoRedo(command);
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  async function applyBulk(choice: BulkChoice) {
    triage.setOverlay(null);
    try {
      const target = choice.scope === 'selection' ? { ids: triage.selected } : { filter, run: run ?? undefined, expectedCount: counts?.total ?? 0 };
      const result = await call('decisions:apply', { target, action: choice.action, label: choice.label, run: run ?? undefined, onlyUndecided: choice.onlyUndecided });
      toast('info', `Applied ${choice.action} to ${plural(result.count, 'example')} (one undo reverts it)`);
      triage.apiRef.current?.deselectAll();
      triage.refresh();
      recount();
    } catch (e) {
      toast('error', (e as Error).message);
    }
  }

  const current = triage.current;
  const currentNote = detail.detail && current && detail.detail.row.id === current.id ? (detail.detail.history.at(-1)?.note ?? '') : null;
  return (
    <>
      <FilterBar run={run} facets={facets} filter={filter} onChange={(f) => updateView({ filter: f })} annotator={annotator} strategies={runStrategies} onLeaveSearch={triage.focusCursor}>
        <span data-testid="row-count">{counts === null ? '…' : `${formatCount(counts.total)} matching examples`}</span>
        {counts && counts.total > 0 && (
          <span className="progress-pill" data-testid="decided-progress" title="Decided examples among those matching the filter">
            <span className="progress-track">
              <span className="progress-fill" style={{ width: `${(100 * counts.decided) / counts.total}%` }} />
            </span>
            {formatCount(counts.decided)} / {formatCount(counts.total)} decided
          </span>
        )}
        {triage.selected.length > 0 && <span data-testid="selected-count">{formatCount(triage.selected.length)} selected</span>}
        <span className="muted keys-hint">j/↓ next · g next undecided · k keep · e eliminate · a accept · r relabel · n note · u undo · ? help</span>
        <span className="legend" aria-hidden>
          <mark className="entity entity-subj"><span className="entity-text">subject</span></mark>
          <mark className="entity entity-obj"><span className="entity-text">object</span></mark>
        </span>
        <button type="button" className="ghost small" data-testid="toggle-detail" onClick={() => setDetailOpen((o) => !o)}>{detailOpen ? 'Hide details' : 'Show details'}</button>
        {isBrowserMode && <span className="muted mode-tag">browser mode</span>}
      </FilterBar>
      <div className={`workspace ${detailOpen ? 'with-detail' : ''}`}>
        {counts?.total === 0 && (
          <div className="grid-empty" data-testid="no-matches">
            <p>No example matches these filters.</p>
            <button type="button" onClick={() => updateView({ filter: filter.flaggedOnly ? { flaggedOnly: true } : {} })}>Clear the filters</button>
          </div>
        )}
        <ExampleGrid
          run={run}
          filter={filter}
          sort={sort}
          onSortChange={(s) => updateView({ sort: s })}
          dataVersion={dataVersion}
          dark={dark}
          projectLabels={facets.labels}
          onCounts={setCounts}
          onRowsLoaded={triage.onRowsLoaded}
          onError={(m) => toast('error', m)}
          onApi={(api) => (triage.apiRef.current = api)}
          onFocusRow={triage.onFocusRow}
          onClickRow={triage.onClickRow}
          onSelectionChanged={triage.setSelected}
        />
        {detailOpen && <DetailPane row={current} detail={detail.detail} error={detail.error} run={run} onChanged={triage.refresh} />}
      </div>
      {triage.overlay === 'picker' && current && (
        <LabelPicker
          subjType={current.subjType}
          objType={current.objType}
          current={current.label}
          suggested={current.flag?.suggested}
          projectLabels={facets.labels}
          onClose={() => triage.setOverlay(null)}
          onPick={(label) => {
            triage.setOverlay(null);
            triage.decide('reannotate', label);
          }}
        />
      )}
      {triage.overlay === 'note' && current && currentNote !== null && (
        <NoteDialog
          initial={currentNote}
          decided={!!current.decision}
          onClose={() => triage.setOverlay(null)}
          onSave={(note) => {
            triage.setOverlay(null);
            triage.saveNote(note);
          }}
        />
      )}
      {triage.overlay === 'bulk' && (
        <BulkDialog
          selectedCount={triage.selected.length || null}
          filteredCount={counts?.total ?? 0}
          targetOf={(scope) => (scope === 'selection' ? (triage.selected.length ? { ids: triage.selected } : null) : counts?.total ? { filter, run: run ?? undefined, expectedCount: counts.total } : null)}
          run={run}
          labels={facets.labels}
          onClose={() => triage.setOverlay(null)}
          onConfirm={(choice) => void applyBulk(choice)}
        />
      )}
    </>
  );
}
