'use client';

import { useId, type ReactNode } from 'react';
import { useViewerZone } from '@/components/jobs/time';

export interface ChartFrameProps {
  /** The chart's name (the figure's caption heading). */
  title: string;
  /** One visible sentence saying what the chart shows in numbers. */
  summary: ReactNode;
  /** Height of the drawing in pixels. */
  height: number;
  /** Draws the chart for the viewer's time zone (called only in the browser, after hydration). */
  chart: (zone: string) => ReactNode;
  /** The text alternative: the same numbers as a table (visually hidden, read by screen readers). */
  children: ReactNode;
}

/**
 * A chart as a figure: a caption with a summary, the drawing (hidden from assistive technology,
 * which reads the table instead) and the data table. The drawing is made after hydration only:
 * it measures its box and formats times in the viewer's zone, which the server cannot know.
 */
export function ChartFrame({ title, summary, height, chart, children }: ChartFrameProps) {
  const zone = useViewerZone();
  const captionId = useId();
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-caption">
        <span className="chart-title">{title}</span>
        <span className="chart-summary muted">{summary}</span>
      </figcaption>
      <div className="chart-canvas" style={{ height }} aria-hidden="true">
        {zone ? chart(zone) : null}
      </div>
      {children}
    </figure>
  );
}
