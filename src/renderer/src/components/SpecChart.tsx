import { useEffect, useRef } from 'react';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { chartConfig, type ReportChart } from '../../../shared/report-content';

Chart.register(...registerables);

/**
 * A chart described as the report describes it (shared/report-content), drawn in the theme's
 * colours: redrawn when the spec or the theme changes, so that text and ranges stay readable.
 */
export function SpecChart({ spec, dark, testId }: { spec: ReportChart; dark: boolean; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const styles = getComputedStyle(document.documentElement);
    const colors = { text: styles.getPropertyValue('--text').trim() || '#1d2433', grid: styles.getPropertyValue('--border').trim() || '#d9dee7' };
    const chart = new Chart(canvas.current, chartConfig(spec, colors) as unknown as ChartConfiguration);
    return () => chart.destroy();
  }, [spec, dark]);
  return (
    <div className="chart-box" style={{ height: spec.height }}>
      <canvas ref={canvas} id={spec.id} role="img" aria-label={spec.ariaLabel} data-testid={testId} />
    </div>
  );
}
