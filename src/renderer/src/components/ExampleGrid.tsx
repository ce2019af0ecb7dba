import { STRATEGIES, STRATEGY_NAMES } from '../../../shared/strategies';
import { useNegativeLabel } from '../negative-label';
import { useEffect, useMemo, useRef } from 'react';
import {
  CellStyleModule,
  ColumnApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  colorSchemeDark,
  colorSchemeLight,
  themeQuartz,
  type ColDef,
  type GridApi,
  type IDatasource,
  type ICellRendererParams,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import type { ExampleFilter, ExampleRow, FlagInfo, SortColumn } from '../../../shared/domain';
import { call } from '../api/client';
import { Sentence } from './SentenceCell';

// Only the modules the grid uses: the infinite row model pages from SQLite; the rest of AG
// Grid's community features would triple the bundle.
ModuleRegistry.registerModules([InfiniteRowModelModule, RowSelectionModule, CellStyleModule, ColumnApiModule, RowApiModule, ScrollApiModule]);

const sortColumnOf: Record<string, SortColumn> = {
  decision: 'decision',
  queue: 'queue',
  score: 'score',
  suggested: 'suggested',
  id: 'id',
  split: 'split',
  label: 'label',
  subjType: 'subjType',
  objType: 'objType',
  sentence: 'sentence',
  length: 'length',
};


function StrategyBadges({ flag }: { flag: FlagInfo }) {
  return (
    <span className="badges">
      {STRATEGY_NAMES.filter((s) => flag.strategies[s]).map((s) => (
        <span key={s} className={`badge badge-${s}`} title={`${STRATEGIES[s].badge} score ${flag.strategies[s]!.score.toFixed(3)}: ${STRATEGIES[s].score} Suggests ${flag.strategies[s]!.suggested}.`}>
          {STRATEGIES[s].badge} {flag.strategies[s]!.score.toFixed(2)}
        </span>
      ))}
    </span>
  );
}

/** Keys the triage view owns; the grid must not act on them too. */
const TRIAGE_KEYS = new Set(['ArrowDown', 'ArrowUp', ' ', 'j', 'k', 'e', 'a', 'r', 'n', 'u', 'U', 'x', 'b', '?', '/', 'z', 'Z', 'y']);

function DecisionCell({ row }: { row: ExampleRow }) {
  if (!row.decision) return <span className="muted">—</span>;
  return (
    <span className={`decision decision-${row.decision.action}`}>
      {row.decision.action === 'reannotate' ? `→ ${row.decision.label}` : row.decision.action}
    </span>
  );
}

interface Props {
  /** A ranking run whose flags are shown as extra columns. */
  run: number | null;
  onApi?: (api: GridApi<ExampleRow>) => void;
  onFocusRow?: (index: number) => void;
  onClickRow?: (index: number) => void;
  onSelectionChanged?: (ids: string[]) => void;
  onPage?: (page: { total: number; decided: number }) => void;
  filter: ExampleFilter;
  /** Changes whenever the project's data changes, to refetch. */
  dataVersion: number;
  dark: boolean;
  onTotal: (total: number) => void;
  onError: (message: string) => void;
}

/** Rows come from SQLite a page at a time; AG Grid's infinite model asks for the range it shows. */
export function ExampleGrid({ run, filter, dataVersion, dark, onTotal, onError, onApi, onFocusRow, onClickRow, onSelectionChanged, onPage }: Props) {
  const negativeLabel = useNegativeLabel();
  const apiRef = useRef<GridApi<ExampleRow> | null>(null);
  const theme = useMemo(() => themeQuartz.withPart(dark ? colorSchemeDark : colorSchemeLight).withParams({ fontSize: 13, rowHeight: 56, headerHeight: 36 }), [dark]);

  const columns = useMemo<ColDef<ExampleRow>[]>(() => {
    const runOnly = (cols: ColDef<ExampleRow>[]) => (run === null ? [] : cols);
    return [
      ...runOnly([
        { colId: 'queue', headerName: '#', width: 64, sortable: true, valueGetter: (p) => (p.data?.flag ? p.data.flag.rank + 1 : '') },
        {
          colId: 'strategies',
          headerName: 'Flagged by',
          width: 175,
          cellRenderer: (p: ICellRendererParams<ExampleRow>) => (p.data?.flag ? <StrategyBadges flag={p.data.flag} /> : <span className="muted">not flagged</span>),
        },
      ]),
      {
        colId: 'sentence',
        headerName: 'Sentence',
        flex: 1,
        minWidth: 360,
        sortable: true,
        cellClass: 'sentence-cell',
        cellRenderer: (params: ICellRendererParams<ExampleRow>) => (params.data ? <Sentence row={params.data} /> : <span className="loading-row">Loading…</span>),
      },
      { colId: 'label', field: 'label', headerName: 'Label', width: 190, sortable: true, cellClass: (p) => (p.value === negativeLabel ? 'label-negative' : 'label-positive') },
      ...runOnly([{ colId: 'suggested', headerName: 'Suggested', width: 190, sortable: true, cellClass: 'label-suggested', valueGetter: (p) => p.data?.flag?.suggested ?? '' }]),
      {
        colId: 'decision',
        headerName: 'Decision',
        width: 150,
        sortable: true,
        cellRenderer: (p: ICellRendererParams<ExampleRow>) => (p.data ? <DecisionCell row={p.data} /> : null),
      },
      ...runOnly([
        { colId: 'score', headerName: 'Score', width: 80, sortable: true, valueGetter: (p) => p.data?.flag?.topScore.toFixed(3) ?? '' },
        {
          colId: 'predicted',
          headerName: 'Model says',
          width: 200,
          valueGetter: (p) => (p.data?.flag?.predicted ? `${p.data.flag.predicted} (${((p.data.flag.predictedProb ?? 0) * 100).toFixed(0)}%)` : ''),
        },
      ]),
      { colId: 'id', field: 'id', headerName: 'ID', width: 170, sortable: true },
      { colId: 'split', field: 'split', headerName: 'Split', width: 80, sortable: true },
      { colId: 'subjType', field: 'subjType', headerName: 'Subj type', width: 130, sortable: true },
      { colId: 'objType', field: 'objType', headerName: 'Obj type', width: 150, sortable: true },
      { colId: 'length', headerName: 'Tokens', width: 85, sortable: true, valueGetter: (p) => p.data?.tokens.length },
    ];
  }, [run, negativeLabel]);

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params) => {
        const sort = params.sortModel
          .filter((s) => sortColumnOf[s.colId])
          .map((s) => ({ column: sortColumnOf[s.colId]!, direction: s.sort }));
        call('examples:query', { run: run ?? undefined, filter, sort, offset: params.startRow, limit: params.endRow - params.startRow })
          .then((page) => {
            onTotal(page.total);
            onPage?.({ total: page.total, decided: page.decided });
            params.successCallback(page.rows, page.total);
          })
          .catch((error: Error) => {
            onError(error.message);
            params.failCallback();
          });
      },
    }),
    // dataVersion is a dependency on purpose: new data means a fresh datasource.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [run, filter, dataVersion],
  );

  useEffect(() => {
    apiRef.current?.setGridOption('datasource', datasource);
  }, [datasource]);

  // A newly chosen run starts in its triage order (agreement, then score), not in whatever
  // column order was active before.
  useEffect(() => {
    apiRef.current?.applyColumnState({ defaultState: { sort: null } });
  }, [run]);

  return (
    <div className="grid-wrap" data-testid="example-grid">
      <AgGridReact<ExampleRow>
        theme={theme}
        columnDefs={columns}
        rowModelType="infinite"
        cacheBlockSize={100}
        maxBlocksInCache={20}
        infiniteInitialRowCount={100}
        getRowId={(p) => p.data.id}
        datasource={datasource}
        onGridReady={(e) => {
          apiRef.current = e.api;
          onApi?.(e.api);
        }}
        rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false }}
        onCellFocused={(e) => {
          if (typeof e.rowIndex === 'number') onFocusRow?.(e.rowIndex);
        }}
        onRowClicked={(e) => {
          if (typeof e.rowIndex === 'number') onClickRow?.(e.rowIndex);
        }}
        onSelectionChanged={(e) => onSelectionChanged?.(e.api.getSelectedRows().map((r) => r.id))}
        defaultColDef={{ suppressKeyboardEvent: (p) => TRIAGE_KEYS.has(p.event.key) }}
        animateRows={false}
      />
    </div>
  );
}
