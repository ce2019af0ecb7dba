import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  CellStyleModule,
  ColumnApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  colorSchemeDark,
  colorSchemeLight,
  themeQuartz,
  type ColDef,
  type GridApi,
  type IDatasource,
  type ICellRendererParams,
  type RowClassRules,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { flushSync } from 'react-dom';
import type { ExampleFilter, ExamplePage, ExampleQuery, ExampleRow, FlagInfo, SortColumn } from '../../../shared/domain';
import { call } from '../api/client';
import type { ViewState } from '../app/usePersistedViewState';
import { STRATEGIES, STRATEGY_NAMES } from '../../../shared/strategies';
import { useNegativeLabel } from '../negative-label';
import { scoreTooltip } from '../triage/strategy-scores';
import { GridSentence } from './SentenceCell';
import { ConflictBadge, TeamVotes } from './team/TeamVotes';

// Only the modules the grid uses: the infinite row model pages from SQLite; the rest of AG
// Grid's community features would triple the bundle.
ModuleRegistry.registerModules([InfiniteRowModelModule, RowSelectionModule, CellStyleModule, ColumnApiModule, RowApiModule, ScrollApiModule, RowStyleModule, RenderApiModule]);

const sortColumnOf: Record<string, SortColumn> = {
  decision: 'decision',
  queue: 'queue',
  score: 'score',
  id: 'id',
  split: 'split',
  label: 'label',
  subjType: 'subjType',
  objType: 'objType',
  sentence: 'sentence',
  length: 'length',
};

type GridSort = ViewState['sort'];

/** The grid's sort as SQL columns. Scores of different strategies are not comparable, so a score sort is within agreement. */
type SqlSort = NonNullable<ExampleQuery['sort']>;
export function sqlSort(sort: GridSort): SqlSort {
  return sort.flatMap((s): SqlSort => {
    const column = sortColumnOf[s.colId];
    if (!column) return [];
    return column === 'score' ? [{ column: 'agreement', direction: 'desc' }, { column, direction: s.sort }] : [{ column, direction: s.sort }];
  });
}

/** One badge per strategy that flagged the row; `compact`: the names only (the score cell's, in a narrow grid). */
function StrategyBadges({ flag, compact = false }: { flag: FlagInfo; compact?: boolean }) {
  return (
    <span className={compact ? 'badges badges-compact' : 'badges'}>
      {STRATEGY_NAMES.filter((s) => flag.strategies[s]).map((s) => (
        <span key={s} className={`badge badge-${s}`} title={`${STRATEGIES[s].badge} score ${flag.strategies[s]!.score.toFixed(3)}: ${STRATEGIES[s].score} Suggests ${flag.strategies[s]!.suggested}.`}>
          {STRATEGIES[s].badge}
          {!compact && ` ${flag.strategies[s]!.score.toFixed(2).replace(/^0\./, '.')}`}
        </span>
      ))}
    </span>
  );
}

/** Keys the triage view owns; the grid must not act on them too. */
const TRIAGE_KEYS = new Set(['ArrowDown', 'ArrowUp', ' ', 'j', 'k', 'e', 'a', 'r', 'n', 'g', 'u', 'U', 'x', 'b', '?', '/', 'z', 'Z', 'y']);

interface GridContext {
  /** The labels the project's examples carry; a decision to any other is marked as new. */
  projectLabels: ReadonlySet<string>;
  negativeLabel: string;
  /** The sentence column's width, which the sentence is fitted to. */
  sentenceWidth: number;
}

const DECISION_TEXT = { keep: 'keep', eliminate: 'eliminate', reannotate: 'reannotate' } as const;

function DecisionCell({ row, context }: { row: ExampleRow; context: GridContext }) {
  if (!row.decision) return row.team?.conflict ? <ConflictBadge /> : <span className="decision decision-none" data-testid="row-decision">undecided</span>;
  const { action, label } = row.decision;
  const outside = action === 'reannotate' && label !== null && !context.projectLabels.has(label);
  return (
    <span
      className={`decision decision-${action}${outside ? ' label-outside' : ''}`}
      data-testid="row-decision"
      title={action === 'reannotate' ? `Reannotated to ${label}${outside ? ' (a label outside the project’s label set)' : ''}` : DECISION_TEXT[action]}
    >
      <span className="decision-text">{action === 'reannotate' ? `→ ${label}` : DECISION_TEXT[action]}</span>
      {outside && <span className="new-label-mark">new</span>}
    </span>
  );
}

const SENTENCE_MIN = 248;
/** Rows per page fetch. */
const BLOCK = 100;
const WIDTH = { select: 40, queue: 44, decision: 104, label: 176, narrowLabel: 160, strategies: 176, score: 82, narrowScore: 104 } as const;
/**
 * Columns that stay in view beside the sentence: the pinned ones and those right after it. In a
 * narrow grid (a laptop with the detail pane open) the Flagged by column gives its room to the
 * sentence and the label, and the pinned score cell names the strategies instead.
 */
const beside = (run: number | null, narrow: boolean) =>
  run === null ? WIDTH.select + WIDTH.decision + WIDTH.label : WIDTH.select + WIDTH.queue + WIDTH.decision + (narrow ? WIDTH.narrowLabel + WIDTH.narrowScore : WIDTH.label + WIDTH.strategies + WIDTH.score);
/** The annotators' decisions side by side (team projects), pinned beside the decision. */
const TEAM_WIDTH = 230;

const rowClassRules: RowClassRules<ExampleRow> = {
  'row-keep': (p) => p.data?.decision?.action === 'keep',
  'row-eliminate': (p) => p.data?.decision?.action === 'eliminate',
  'row-reannotate': (p) => p.data?.decision?.action === 'reannotate',
};

interface Props {
  /** A ranking run whose flags are shown as extra columns. */
  run: number | null;
  filter: ExampleFilter;
  sort: GridSort;
  onSortChange: (sort: GridSort) => void;
  /** Changes whenever the project's data changes, to refetch. */
  dataVersion: number;
  dark: boolean;
  projectLabels: readonly string[];
  onApi?: (api: GridApi<ExampleRow>) => void;
  onFocusRow?: (index: number) => void;
  onClickRow?: (index: number) => void;
  onSelectionChanged?: (ids: string[]) => void;
  /** Counts of the current filter, from the latest page (never from a stale one). */
  onCounts: (counts: { total: number; decided: number }) => void;
  /** A page of rows arrived (the cursor's row may be among them). */
  /** Rows of a list arrived; `listKey` says which (see listKeyOf). */
  onRowsLoaded?: (listKey: string) => void;
  onError: (message: string) => void;
}

/** Rows come from SQLite a page at a time; AG Grid's infinite model asks for the range it shows. */
/**
 * Which list a page of rows belongs to: the run and the filter it was asked with. (A new order
 * is not in it: the grid drops its rows at once when the sort changes.)
 */
export function listKeyOf(run: number | null, filter: ExampleFilter): string {
  return JSON.stringify([run, filter]);
}

export function ExampleGrid({ run, filter, sort, onSortChange, dataVersion, dark, projectLabels, onApi, onFocusRow, onClickRow, onSelectionChanged, onCounts, onRowsLoaded, onError }: Props) {
  const negativeLabel = useNegativeLabel();
  const apiRef = useRef<GridApi<ExampleRow> | null>(null);
  const theme = useMemo(
    () => themeQuartz.withPart(dark ? colorSchemeDark : colorSchemeLight).withParams({ fontSize: 13, rowHeight: 48, headerHeight: 34, cellHorizontalPadding: 10, spacing: 6 }),
    [dark],
  );
  const wrap = useRef<HTMLDivElement>(null);
  // narrow: too little room for the Flagged by column (see beside).
  const [{ sentenceWidth, narrow }, setFit] = useState({ sentenceWidth: 420, narrow: false });
  const context = useMemo<GridContext>(() => ({ projectLabels: new Set(projectLabels), negativeLabel, sentenceWidth }), [projectLabels, negativeLabel, sentenceWidth]);
  // The annotators column appears once a page holds an example two or more annotators decided.
  const [hasTeam, setHasTeam] = useState(false);
  const callbacks = useRef({ onCounts, onRowsLoaded, onError });
  callbacks.current = { onCounts, onRowsLoaded, onError };

  const columns = useMemo<ColDef<ExampleRow>[]>(() => {
    const runOnly = (cols: ColDef<ExampleRow>[]) => (run === null ? [] : cols);
    return [
      ...runOnly([{ colId: 'queue', headerName: '#', width: WIDTH.queue, pinned: 'left', sortable: true, valueGetter: (p) => (p.data?.flag ? p.data.flag.rank + 1 : '') }]),
      {
        // Pinned, so that every row shows its decision whatever the grid's width.
        colId: 'decision',
        headerName: 'Decision',
        width: WIDTH.decision,
        pinned: 'left',
        sortable: true,
        cellClass: 'decision-cell',
        cellRenderer: (p: ICellRendererParams<ExampleRow, unknown, GridContext>) => (p.data ? <DecisionCell row={p.data} context={p.context} /> : null),
      },
      ...(hasTeam
        ? [
            {
              colId: 'team',
              headerName: 'Annotators',
              width: TEAM_WIDTH,
              pinned: 'left',
              cellClass: 'team-cell',
              cellRenderer: (p: ICellRendererParams<ExampleRow>) => (p.data?.team ? <TeamVotes team={p.data.team} /> : null),
            } satisfies ColDef<ExampleRow>,
          ]
        : []),
      {
        // Sized to the room the grid has, so that the label and (with a run) the flags and score
        // stay in view next to it; see the effect below.
        colId: 'sentence',
        headerName: 'Sentence',
        width: sentenceWidth,
        minWidth: SENTENCE_MIN,
        sortable: true,
        cellClass: 'sentence-cell',
        cellRenderer: (params: ICellRendererParams<ExampleRow, unknown, GridContext>) =>
          params.data ? <GridSentence row={params.data} columnWidth={params.context.sentenceWidth} /> : <span className="loading-row">Loading…</span>,
      },
      {
        colId: 'label',
        headerName: run === null ? 'Label' : 'Label → suggested',
        width: narrow ? WIDTH.narrowLabel : WIDTH.label,
        sortable: true,
        cellClass: 'label-cell',
        cellRenderer: (p: ICellRendererParams<ExampleRow, unknown, GridContext>) =>
          p.data ? (
            <span className="label-pair">
              <span className={p.data.label === p.context.negativeLabel ? 'label-negative' : 'label-positive'} title={`Given label: ${p.data.label}`}>
                {p.data.label}
              </span>
              {p.data.flag && (
                <span className="label-suggested" title={`Suggested by run ${run}: ${p.data.flag.suggested}`}>
                  → {p.data.flag.suggested}
                </span>
              )}
            </span>
          ) : null,
      },
      ...runOnly([
        {
          colId: 'strategies',
          headerName: 'Flagged by',
          width: WIDTH.strategies,
          hide: narrow,
          cellRenderer: (p: ICellRendererParams<ExampleRow>) => (p.data?.flag ? <StrategyBadges flag={p.data.flag} /> : p.data ? <span className="muted">not flagged</span> : null),
        },
        {
          colId: 'score',
          headerName: narrow ? 'Score · by' : 'Score',
          headerTooltip: narrow ? 'The highest score of the strategies that flagged the row, and which ones did' : undefined,
          width: narrow ? WIDTH.narrowScore : WIDTH.score,
          // Pinned, so the score a researcher sorts on stays in view at a laptop's width too
          // (at 1024 with the detail pane open the columns after the label scroll off).
          pinned: 'right',
          sortable: true,
          cellClass: narrow ? 'score-cell-narrow' : undefined,
          cellRenderer: (p: ICellRendererParams<ExampleRow>) =>
            p.data?.flag ? (
              <>
                <span className="score" title={scoreTooltip(p.data.flag.strategies)} data-testid="row-score">
                  {p.data.flag.topScore.toFixed(3)}
                </span>
                {narrow && <StrategyBadges flag={p.data.flag} compact />}
              </>
            ) : null,
        },
        {
          colId: 'predicted',
          headerName: 'Model says',
          width: 190,
          valueGetter: (p) => (p.data?.flag?.predicted ? `${p.data.flag.predicted} (${((p.data.flag.predictedProb ?? 0) * 100).toFixed(0)}%)` : ''),
        },
      ]),
      { colId: 'id', field: 'id', headerName: 'ID', width: 170, sortable: true },
      { colId: 'split', field: 'split', headerName: 'Split', width: 80, sortable: true },
      { colId: 'subjType', field: 'subjType', headerName: 'Subj type', width: 130, sortable: true },
      { colId: 'objType', field: 'objType', headerName: 'Obj type', width: 150, sortable: true },
      { colId: 'length', headerName: 'Tokens', width: 85, sortable: true, valueGetter: (p) => p.data?.tokens.length },
    ];
  }, [run, sentenceWidth, narrow, hasTeam]);

  // Each datasource answers for one (run, filter, data version); a page that arrives after the
  // filter changed is dropped, so counts never flash back to an older filter's.
  const generation = useRef(0);
  const sortRef = useRef(sort);
  sortRef.current = sort;
  // The first page of a new datasource is asked for as soon as the new filter is committed,
  // without waiting for the grid to schedule its first block (tens of milliseconds).
  const firstPage = useRef<{ generation: number; key: string; page: Promise<ExamplePage> } | null>(null);
  const datasource = useMemo<IDatasource>(() => {
    const mine = ++generation.current;
    return {
      getRows: (params) => {
        const gridSort: GridSort = params.sortModel.map((s) => ({ colId: s.colId, sort: s.sort }));
        const query = { run: run ?? undefined, filter, sort: sqlSort(gridSort), offset: params.startRow, limit: params.endRow - params.startRow };
        const early = firstPage.current;
        const page = early && early.generation === mine && early.key === JSON.stringify(query) ? early.page : call('examples:query', query);
        if (early?.generation === mine) firstPage.current = null;
        page
          .then((page) => {
            if (mine !== generation.current) return params.failCallback();
            // The count is on screen before the rows are rendered (which takes longer).
            flushSync(() => callbacks.current.onCounts({ total: page.total, decided: page.decided }));
            params.successCallback(page.rows, page.total);
            if (page.rows.some((r) => r.team)) setHasTeam(true);
            callbacks.current.onRowsLoaded?.(listKeyOf(query.run ?? null, query.filter));
          })
          .catch((error: Error) => {
            if (mine === generation.current) callbacks.current.onError(error.message);
            params.failCallback();
          });
      },
    };
  }, [run, filter, dataVersion]);
  useLayoutEffect(() => {
    const query = { run: run ?? undefined, filter, sort: sqlSort(sortRef.current), offset: 0, limit: BLOCK };
    const page = call('examples:query', query);
    page.catch(() => undefined);
    firstPage.current = { generation: generation.current, key: JSON.stringify(query), page };
  }, [datasource]);

  // (The datasource prop alone swaps it: setting it again through the API fetched every page twice.)

  // The saved sort, applied when the grid starts and whenever the view's sort changes from outside.
  useEffect(() => {
    const api = apiRef.current;
    if (!api) return;
    const shown = api.getColumnState().filter((c) => c.sort).map((c) => `${c.colId}:${c.sort}`).join(',');
    const wanted = sort.map((s) => `${s.colId}:${s.sort}`).join(',');
    if (shown !== wanted) api.applyColumnState({ state: sort.map((s, i) => ({ colId: s.colId, sort: s.sort, sortIndex: i })), defaultState: { sort: null } });
  }, [sort, columns]);

  useEffect(() => {
    apiRef.current?.refreshCells({ columns: ['decision', 'label', 'sentence', 'score'], force: true });
  }, [context]);

  // The sentence takes the width the other columns in view leave (never less than its minimum;
  // then the grid scrolls sideways inside itself, the page never does).
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    // 30: the wrapper's padding and the vertical scrollbar.
    const fit = () => {
      if (!el.clientWidth) return;
      const room = (narrow: boolean) => Math.floor(el.clientWidth - 30 - beside(run, narrow) - (hasTeam ? TEAM_WIDTH : 0));
      const narrow = run !== null && room(false) < SENTENCE_MIN;
      const sentenceWidth = Math.max(SENTENCE_MIN, room(narrow));
      setFit((now) => (now.sentenceWidth === sentenceWidth && now.narrow === narrow ? now : { sentenceWidth, narrow }));
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, [run, hasTeam]);

  return (
    <div className="grid-wrap" data-testid="example-grid" ref={wrap}>
      <AgGridReact<ExampleRow>
        theme={theme}
        columnDefs={columns}
        context={context}
        rowModelType="infinite"
        cacheBlockSize={BLOCK}
        maxBlocksInCache={20}
        infiniteInitialRowCount={1}
        getRowId={(p) => p.data.id}
        datasource={datasource}
        rowClassRules={rowClassRules}
        onGridReady={(e) => {
          apiRef.current = e.api;
          if (sortRef.current.length) e.api.applyColumnState({ state: sortRef.current.map((s, i) => ({ colId: s.colId, sort: s.sort, sortIndex: i })), defaultState: { sort: null } });
          onApi?.(e.api);
        }}
        onSortChanged={(e) => onSortChange(e.api.getColumnState().filter((c) => c.sort).sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0)).map((c) => ({ colId: c.colId, sort: c.sort! })))}
        rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false }}
        selectionColumnDef={{ pinned: 'left', width: WIDTH.select, minWidth: WIDTH.select, maxWidth: WIDTH.select }}
        onCellFocused={(e) => {
          if (typeof e.rowIndex === 'number') onFocusRow?.(e.rowIndex);
        }}
        onRowClicked={(e) => {
          if (typeof e.rowIndex === 'number') onClickRow?.(e.rowIndex);
        }}
        onSelectionChanged={(e) => onSelectionChanged?.(e.api.getSelectedRows().map((r) => r.id))}
        defaultColDef={{ suppressKeyboardEvent: (p) => TRIAGE_KEYS.has(p.event.key), suppressMovable: true }}
        suppressNoRowsOverlay
        animateRows={false}
      />
    </div>
  );
}
